// Signing in to the HTML pages without putting an API key in a URL, a log or a referrer. A planner gives
// the key once (the login form) or opens a one-time link the API issued; either way the browser gets
// only a random session token, in an HttpOnly, SameSite=Strict cookie. The database keeps the token's
// hash with the key's hash, and every page request resolves that key again (so a revoked key ends its
// sessions at once) and passes the same tenancy check as the API.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { pageTokens } from '../db/schema.js';
import { hashKey } from './key-hash.js';

export const sessionCookie = 'cn_session';
export const sessionTtlMs = 8 * 60 * 60 * 1000;
export const linkTtlMs = 5 * 60 * 1000;

/**
 * Sessions and one-time links, in the database: every instance knows them and a restart keeps them.
 * Each holds the hash of the key that made it (see KeyResolver.resolveHash), so that a revoked key ends
 * its sessions and links at once.
 */
export class PageSessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private async add(kind: 'session' | 'link', keyHash: string, ttlMs: number, target: string | null = null) {
    const now = this.now();
    // Expired tokens go as new ones come: nothing else needs to sweep them.
    await this.db.delete(pageTokens).where(lte(pageTokens.expiresAt, new Date(now)));
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + ttlMs);
    await this.db.insert(pageTokens).values({ tokenHash: hashKey(token), kind, keyHash, target, expiresAt });
    return { token, expiresAt };
  }

  /** A new session for the key with this hash: its token, for the cookie. */
  async open(keyHash: string): Promise<string> {
    return (await this.add('session', keyHash, sessionTtlMs)).token;
  }

  /** The hash of the key a live session was opened with. */
  async keyHashOf(token: string | undefined): Promise<string | undefined> {
    if (!token) return undefined;
    const [row] = await this.db
      .select({ keyHash: pageTokens.keyHash })
      .from(pageTokens)
      .where(and(eq(pageTokens.tokenHash, hashKey(token)), eq(pageTokens.kind, 'session'), gt(pageTokens.expiresAt, new Date(this.now()))));
    return row?.keyHash;
  }

  async close(token: string | undefined) {
    if (token) await this.db.delete(pageTokens).where(and(eq(pageTokens.tokenHash, hashKey(token)), eq(pageTokens.kind, 'session')));
  }

  /** A link token that opens `target` once, within linkTtlMs. */
  issueLink(keyHash: string, target: string): Promise<{ token: string; expiresAt: Date }> {
    return this.add('link', keyHash, linkTtlMs, target);
  }

  /** The link's key hash and target, once, on whichever instance it is opened: a second redemption finds nothing. */
  async redeemLink(token: string): Promise<{ keyHash: string; target: string } | undefined> {
    const [link] = await this.db
      .delete(pageTokens)
      .where(and(eq(pageTokens.tokenHash, hashKey(token)), eq(pageTokens.kind, 'link')))
      .returning({ keyHash: pageTokens.keyHash, target: pageTokens.target, expiresAt: pageTokens.expiresAt });
    return link && link.target !== null && link.expiresAt.getTime() > this.now() ? { keyHash: link.keyHash, target: link.target } : undefined;
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
