// Signing in to the pages through inject: a form post from this very site, and the session cookie it sets.

export const sameSiteForm = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
});

/** `name=value` of a Set-Cookie header, to send back as Cookie. */
export const cookieOf = (setCookie: string | string[] | undefined) => String(setCookie).split(';')[0]!;
