import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';
import { projectPath } from '../paths.js';

export type Schema = typeof schema;
/** The drizzle API shared by the PGlite and postgres.js drivers. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Round trip to the database; rejects when it is unreachable. */
  ping(): Promise<void>;
  /**
   * Listens for notices on a channel (see migrations/0002): `onListening` each time listening starts,
   * after which every notice reaches `onNotice`; `onLost` when the listening connection drops (notices may
   * be missed until the next `onListening`: it reconnects by itself). Resolves after the first attempt.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotice(payload: string): void;
  onListening(): void;
  onLost(): void;
}

export const migrationsFolder = projectPath('migrations');

/** Driver errors that mean the connection itself is gone (socket closed, reset, refused, server shutting down). */
const connectionLostCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);
const isConnectionLost = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (connectionLostCodes.has(code) || code.startsWith('08'));
};
// Seconds before a connection is retried after a failure. The driver's default grows to 20 s within a few
// refused attempts, and queries wait out that delay: during an outage requests would hang instead of
// answering 503, and after it the service would stay down for up to 20 s. Capped at 1 s, with jitter.
const reconnectDelaySeconds = (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);

/** How long a transaction whose connection failed waits for postgres.js to notice the socket closing. */
const closeGraceMs = 5_000;

/**
 * postgres.js 3.4.9 crashes the whole process when a transaction's connection dies (porsager/postgres#1208,
 * open, no fixed release): begin() then sends ROLLBACK, or the callback its next statement, down the dead
 * connection, and the driver's deferred write dereferences the null socket in a setImmediate, an uncaught
 * TypeError. begin() itself already rejects with CONNECTION_CLOSED when the socket closes, and the server
 * rolls back a transaction whose connection is gone, so once that happens nothing more may be sent on it:
 * further statements are refused here, and the callback is parked instead of failing into the ROLLBACK.
 */
function guardTransactions(client: postgres.Sql): postgres.Sql {
  const begin = (...args: [string, (sql: postgres.TransactionSql) => unknown] | [(sql: postgres.TransactionSql) => unknown]) => {
    const [mode, callback] = args.length === 2 ? args : ['', args[0]];
    let lost = false;
    let onLost = () => {};
    const closed = new Promise<void>((resolve) => (onLost = resolve));
    const guard = (sql: postgres.TransactionSql): postgres.TransactionSql =>
      new Proxy(sql, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property === 'unsafe') {
            return (...args: Parameters<postgres.TransactionSql['unsafe']>) => {
              if (lost) throw Object.assign(new Error('The connection of this transaction was lost'), { code: 'CONNECTION_CLOSED' });
              return target.unsafe(...args);
            };
          }
          if (property === 'savepoint') {
            return (inner: (sql: postgres.TransactionSql) => unknown) => {
              if (lost) throw Object.assign(new Error('The connection of this transaction was lost'), { code: 'CONNECTION_CLOSED' });
              return target.savepoint((sql) => run(inner, sql));
            };
          }
          return value;
        },
      });
    async function run(inner: (sql: postgres.TransactionSql) => unknown, sql: postgres.TransactionSql) {
      try {
        const result = await inner(guard(sql));
        // The connection closed while the callback did other work: no COMMIT down it either.
        if (lost) return new Promise<never>(() => {});
        return result;
      } catch (error) {
        if (!lost && !isConnectionLost(error)) throw error;
        // Wait for begin() to give the connection up (it does when the socket closes), then never settle, so
        // that postgres.js sends no ROLLBACK down the dead connection. If the connection lives on, fail as usual.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, closeGraceMs)))]);
        clearTimeout(timer);
        if (lost) return new Promise<never>(() => {});
        throw error;
      }
    }
    const transaction = client.begin(mode, (sql) => run(callback, sql));
    transaction.catch(() => {
      lost = true;
      onLost();
    });
    return transaction;
  };
  return new Proxy(client, {
    get: (target, property, receiver) => (property === 'begin' ? begin : Reflect.get(target, property, receiver)),
  });
}

/**
 * LISTEN on one connection of its own (postgres.js does not pool it), shared by every channel the
 * process listens on. postgres.js's own listen() re-listens once after a drop and gives up silently if
 * the server is still away; this keeps trying, and tells each listener when listening on its channel is
 * lost and when it starts again, so that what is kept in memory is trusted only meanwhile.
 */
function postgresListener(databaseUrl: string): Database['listen'] {
  const listeners = new Map<string, Set<ListenHandlers>>();
  // The channels listened on since the connection last opened.
  const listened = new Set<string>();
  let connection: postgres.Sql | undefined;
  let closes = 0;
  let retrying: Promise<void> | undefined;
  let wait: NodeJS.Timeout | undefined;
  const tell = (channel: string, visit: (handlers: ListenHandlers) => void) => listeners.get(channel)?.forEach(visit);
  const quoted = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

  const open = () =>
    postgres(databaseUrl, {
      max: 1,
      // Kept open for good: by default postgres.js recycles a connection after 30 to 60 minutes.
      max_lifetime: null,
      fetch_types: false,
      onnotice: () => {},
      connect_timeout: 5,
      backoff: reconnectDelaySeconds,
      onnotify: (channel: string, payload: string) => tell(channel, (handlers) => handlers.onNotice(payload)),
      onclose: () => {
        if (!connection) return; // stopped
        closes++;
        for (const channel of listened) tell(channel, (handlers) => handlers.onLost());
        listened.clear();
        retrying ??= listenOnEveryChannel();
      },
    } as postgres.Options<Record<string, never>>);

  /** Listens on each channel not listened on yet, those added meanwhile included, until none is left; retries while the server is away. */
  async function listenOnEveryChannel() {
    for (let attempt = 0; connection; attempt++) {
      const current = connection;
      const closesBefore = closes;
      const notListened = () => [...listeners.keys()].filter((channel) => !listened.has(channel));
      try {
        for (let channels = notListened(); channels.length > 0 && closes === closesBefore; channels = notListened()) {
          for (const channel of channels) {
            await current.unsafe(`listen ${quoted(channel)}`);
            // Listening holds only if the connection did not close meanwhile.
            if (closes !== closesBefore || connection !== current) break;
            listened.add(channel);
            tell(channel, (handlers) => handlers.onListening());
          }
        }
        if (closes === closesBefore) {
          retrying = undefined;
          return;
        }
      } catch {
        // The server is away: try again shortly.
      }
      await new Promise((resolve) => (wait = setTimeout(resolve, reconnectDelaySeconds(attempt) * 1000)));
    }
  }

  return async (channel, handlers) => {
    const channelListeners = listeners.get(channel) ?? new Set<ListenHandlers>();
    listeners.set(channel, channelListeners);
    channelListeners.add(handlers);
    connection ??= open();
    if (listened.has(channel)) handlers.onListening();
    else retrying ??= listenOnEveryChannel();
    await Promise.race([retrying, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    return async () => {
      channelListeners.delete(handlers);
      if (channelListeners.size > 0) return;
      listeners.delete(channel);
      if (listeners.size > 0) {
        if (listened.delete(channel)) await connection?.unsafe(`unlisten ${quoted(channel)}`).catch(() => {});
        return;
      }
      const closing = connection;
      connection = undefined;
      listened.clear();
      clearTimeout(wait);
      await closing?.end({ timeout: 1 });
    };
  };
}

/** Another process holds the embedded database folder. */
export class DataDirInUseError extends Error {}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One process at a time in an embedded database folder: PGlite takes no lock of its own, and what a second
 * process wrote there would be overwritten by the first (a key printed by create-admin-key that never
 * worked). The lock file names the holder's pid; a lock whose process has gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'centre-network.pid');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is in use by process ${holder} (a running server?): stop it first, or use PostgreSQL through DATABASE_URL`,
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; omitted means in memory. */
  dataDir?: string | undefined;
  /** An in-memory embedded database starts as a copy of this dump of a data folder (PGlite's dumpDataDir) rather than empty. */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

/** The buffer pool of an in-memory embedded database (PGlite's default is 128MB). */
const inMemorySharedBuffers = '16MB';

/** Opens PostgreSQL when a URL is given, the embedded PGlite otherwise, and applies the migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connect_timeout: 5,
      backoff: reconnectDelaySeconds,
    });
    const db = drizzlePostgres({ client: guardTransactions(client), schema });
    await migratePostgres(db, { migrationsFolder });
    const listen = postgresListener(options.databaseUrl);
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      ping: async () => {
        await client`select 1`;
      },
      listen,
      close: () => client.end({ timeout: 5 }),
    };
  }
  let unlock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  const client = options.dataDir
    ? new PGlite(options.dataDir)
    : new PGlite({
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        // In memory, every page is in memory already: the buffer pool only spares copying one, while the
        // default pool's setting up is most of each start (each test file starts one or more).
        postgresqlconf: `shared_buffers = ${inMemorySharedBuffers}`,
      });
  const db = drizzlePglite({ client, schema });
  try {
    await migratePglite(db, { migrationsFolder });
  } catch (error) {
    await client.close().catch(() => {});
    unlock();
    throw error;
  }
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    // One process owns the embedded database, so listening never drops.
    listen: async (channel, handlers) => {
      const unlisten = await client.listen(channel, handlers.onNotice);
      handlers.onListening();
      return unlisten;
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
