import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database, Db } from '../db/client.js';
import { apiKeys } from '../db/schema.js';
import { type PageSessions, sessionToken } from './page-sessions.js';
import { hashKey } from './key-hash.js';
import { ProblemError } from './problem.js';

/** Who is calling: an API key of one council, or an administrator. */
export interface Principal {
  /** The key's id, or `config-admin` for the key from ADMIN_API_KEY. */
  actor: string;
  /** Null for an administrator. */
  councilId: string | null;
  readOnly: boolean;
}

/**
 * Who may call a route: anyone, any valid key (the default), administrators only, or a page: any valid
 * key, sent as a bearer or kept by a page session (and without one, the browser is sent to sign in).
 */
export type Access = 'public' | 'key' | 'admin' | 'page';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** A POST that changes nothing a read-only key may not see (issuing a link to a page). */
    readOnlyAllowed?: boolean;
  }
}

const keyPrefix = 'cnk_';
/** What generateKey makes: anything else is no key of ours, refused without a look-up. */
const keyShape = /^cnk_[A-Za-z0-9_-]{27}$/;

/** A new key: 160 random bits, shown once; only its hash and a short prefix are stored. */
export function generateKey() {
  const key = `${keyPrefix}${randomBytes(20).toString('base64url')}`;
  return { key, hash: hashKey(key), prefix: key.slice(0, 12) };
}

/** The channel that migrations/0004 notifies with a key's id when the key is revoked, changed or deleted. */
export const apiKeysChangedChannel = 'api_keys_changed';
const cacheTtlMs = 30_000;
const adminPrincipal: Principal = { actor: 'config-admin', councilId: null, readOnly: false };

/** Keys looked up and found valid (or not) kept at most; the oldest go first. */
const keptLookUps = 10_000;

/**
 * Resolves keys to principals, caching look-ups so that a read served from memory needs no query at
 * all. While this process listens for the database's key notices, a look-up holds until a key changes
 * anywhere (a revocation here, on another instance or by hand), when every look-up is forgotten; while
 * not listening (the connection dropped: it reconnects by itself), each holds for 30 s at most. Keys are
 * cached as sent (only their hashes are stored), so that a hit costs no hashing.
 */
export class KeyResolver {
  private readonly cache = new Map<string, { principal: Principal; expires: number }>();
  /**
   * Keys found unknown or revoked, kept apart from the valid ones: a stream of made-up keys neither
   * costs a query per repeat nor pushes the valid keys out.
   */
  private readonly unknown = new Map<string, number>();
  private readonly adminHash: Buffer | undefined;
  private listening = false;
  /** Bumped whenever look-ups are forgotten: a look-up that a change overtook must not be kept. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    adminApiKey: string | undefined,
  ) {
    this.adminHash = adminApiKey ? Buffer.from(hashKey(adminApiKey), 'hex') : undefined;
  }

  /** Starts listening for key notices; resolves to the function that stops. */
  start(database: Pick<Database, 'listen'>): Promise<() => Promise<void>> {
    return database.listen(apiKeysChangedChannel, {
      onNotice: () => this.forget(),
      onListening: () => {
        // Notices may have been missed while not listening.
        this.forget();
        this.listening = true;
      },
      onLost: () => {
        this.listening = false;
        this.forget();
      },
    });
  }

  /**
   * The principal of a key already looked up, without a query: undefined when it is not known (or not
   * known to be valid) now. The rate limit counts a key's requests by it before the key is checked.
   */
  known(key: string): Principal | undefined {
    const cached = this.cache.get(key);
    return cached && (this.listening || cached.expires > Date.now()) ? cached.principal : undefined;
  }

  /** True for a key already found unknown or revoked, still refused without a query. */
  refused(key: string): boolean {
    const until = this.unknown.get(key);
    return until !== undefined && (this.listening || until > Date.now());
  }

  async resolve(key: string): Promise<Principal | null> {
    const known = this.known(key);
    if (known) return known;
    if (this.refused(key)) return null;
    const generation = this.generation;
    const hash = hashKey(key);
    const principal = this.isAdminHash(hash) ? adminPrincipal : keyShape.test(key) ? await this.lookUp(hash) : null;
    if (generation !== this.generation) return principal;
    const expires = Date.now() + cacheTtlMs;
    if (principal) keep(this.cache, key, { principal, expires });
    else keep(this.unknown, key, expires);
    return principal;
  }

  /** The principal of a key known by its hash (a page session's), looked up afresh: no revoked key passes. */
  async resolveHash(hash: string): Promise<Principal | null> {
    return this.isAdminHash(hash) ? adminPrincipal : this.lookUp(hash);
  }

  private isAdminHash(hash: string): boolean {
    return this.adminHash !== undefined && /^[0-9a-f]{64}$/.test(hash) && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash);
  }

  private async lookUp(hash: string): Promise<Principal | null> {
    const [row] = await this.db
      .select({ id: apiKeys.id, councilId: apiKeys.councilId, readOnly: apiKeys.readOnly })
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
    return row ? { actor: row.id, councilId: row.councilId, readOnly: row.readOnly } : null;
  }

  forget() {
    this.cache.clear();
    this.unknown.clear();
    this.generation++;
  }
}

function keep<T>(map: Map<string, T>, key: string, value: T) {
  map.delete(key);
  map.set(key, value);
  if (map.size > keptLookUps) map.delete(map.keys().next().value!);
}

export const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The key of an Authorization header, however `Bearer` is written (any case, spaces or tabs around it). */
export function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^\s*Bearer\s+(\S{1,200})\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Authenticates every request and keeps each council's key inside its own council: a route whose path
 * names another council answers 404, as if it did not exist, before any handler or query runs.
 */
export function registerAuth(app: FastifyInstance, resolver: KeyResolver, sessions: PageSessions) {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    const access = request.routeOptions.config.access ?? 'key';
    if (url === undefined || access === 'public' || url.startsWith('/docs')) return;
    const key = bearerKey(request);
    const sessionKeyHash = key === undefined && access === 'page' ? await sessions.keyHashOf(sessionToken(request)) : undefined;
    const principal = key ? await resolver.resolve(key) : sessionKeyHash ? await resolver.resolveHash(sessionKeyHash) : null;
    if (!principal) {
      if (access === 'page') return reply.redirect(`/login?${new URLSearchParams({ next: request.url })}`, 303);
      reply.header('www-authenticate', 'Bearer');
      throw new ProblemError('unauthorized', key ? 'The API key is not valid or has been revoked' : 'Send an API key as Authorization: Bearer <key>');
    }
    request.principal = principal;
    const councilId = (request.params as { councilId?: string }).councilId;
    if (principal.councilId && councilId !== undefined && councilId !== principal.councilId) {
      throw new ProblemError('not-found', 'The council was not found');
    }
    if (access === 'admin' && principal.councilId) throw new ProblemError('forbidden', 'Only an administrator key may do this');
    if (principal.readOnly && !readMethods.has(request.method) && !request.routeOptions.config.readOnlyAllowed)
      throw new ProblemError('forbidden', 'This key is read-only');
  });
}
