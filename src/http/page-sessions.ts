// Signing in to the HTML pages without putting an API key in a URL, a log or a referrer. A planner gives
// the key once (the login form) or opens a one-time link the API issued; either way the browser gets
// only a random session token, in an HttpOnly, SameSite=Strict cookie. The key stays in this process's
// memory, and every page request resolves it again (so a revoked key ends its sessions at once) and
// passes the same tenancy check as the API.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashKey } from './auth.js';

export const sessionCookie = 'cn_session';
export const sessionTtlMs = 8 * 60 * 60 * 1000;
export const linkTtlMs = 5 * 60 * 1000;
const maxEntries = 10_000;

interface Entry {
  key: string;
  expires: number;
}

/** Entries by the hash of their token, oldest first; expired ones are dropped as the map fills. */
class TokenMap<T extends Entry> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly now: () => number) {}

  add(entry: T): string {
    if (this.entries.size >= maxEntries) {
      for (const [hash, kept] of this.entries) if (kept.expires <= this.now()) this.entries.delete(hash);
      // Still full: the oldest goes.
      if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    const token = randomBytes(32).toString('base64url');
    this.entries.set(hashKey(token), entry);
    return token;
  }

  get(token: string): T | undefined {
    const hash = hashKey(token);
    const entry = this.entries.get(hash);
    if (entry && entry.expires <= this.now()) this.entries.delete(hash);
    return entry && entry.expires > this.now() ? entry : undefined;
  }

  delete(token: string) {
    this.entries.delete(hashKey(token));
  }
}

/**
 * Sessions and one-time links of this process. Kept in memory: a restart signs everyone out, and with
 * several instances a session holds on the instance that made it.
 */
export class PageSessions {
  private readonly sessions: TokenMap<Entry>;
  private readonly links: TokenMap<Entry & { target: string }>;

  constructor(private readonly now: () => number = Date.now) {
    this.sessions = new TokenMap(now);
    this.links = new TokenMap(now);
  }

  /** A new session for this key: its token, for the cookie. */
  open(key: string): string {
    return this.sessions.add({ key, expires: this.now() + sessionTtlMs });
  }

  keyOf(token: string | undefined): string | undefined {
    return token ? this.sessions.get(token)?.key : undefined;
  }

  close(token: string | undefined) {
    if (token) this.sessions.delete(token);
  }

  /** A link token that opens `target` once, within linkTtlMs. */
  issueLink(key: string, target: string): { token: string; expiresAt: Date } {
    const expires = this.now() + linkTtlMs;
    return { token: this.links.add({ key, target, expires }), expiresAt: new Date(expires) };
  }

  /** The link's key and target, once: a second redemption finds nothing. */
  redeemLink(token: string): { key: string; target: string } | undefined {
    const link = this.links.get(token);
    this.links.delete(token);
    return link && { key: link.key, target: link.target };
  }
}

export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === sessionCookie && value) return value;
  }
  return undefined;
}

const cookieAttributes = (request: FastifyRequest) => `Path=/; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`;

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.header('set-cookie', `${sessionCookie}=${token}; ${cookieAttributes(request)}; Max-Age=${sessionTtlMs / 1000}`);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.header('set-cookie', `${sessionCookie}=; ${cookieAttributes(request)}; Max-Age=0`);
}

/**
 * A form post or a script's request from this very site: Sec-Fetch-Site says so, or without it (older
 * browsers, other clients) the Origin. (Under Referrer-Policy: no-referrer a browser sends `Origin: null`
 * with a form post, so Sec-Fetch-Site comes first.) SameSite=Strict keeps the cookie off other sites'
 * requests; this also refuses a login posted from another site, which would sign a victim in as someone else.
 */
export function fromThisSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  return origin === undefined || origin === `${request.protocol}://${request.host}`;
}

/** Where a sign-in may send the browser afterwards: a page of this service, never elsewhere. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/councils\/[0-9a-f-]{36}\/(view|compare)(?:[/?][^\s\\]*)?$/i.test(next) ? next : undefined;
}
