// One migrated database for the whole suite, copied for each test file: starting an embedded database
// from scratch runs initdb and every migration, several times the work of loading a copy.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type postgres from 'postgres';
import { migrationsFolder, openDatabase } from '../../src/db/client.js';

/** Names the migrations (every file under migrations/) and the embedded engine's version: a change to either makes a new template. */
async function migrationsKey(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(migrationsFolder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file.slice(migrationsFolder.length)).update(await readFile(file));
  hash.update(await readFile(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

const root = join(tmpdir(), 'centre-network-tests');
const execFileAsync = promisify(execFile);
/** A builder that has not finished in this time is taken to have died, and its lock is broken. */
const staleLockMs = 120_000;

/** Runs `build` once across processes, unless `done` says another process already has. */
async function onceAcrossProcesses(lock: string, done: () => boolean, build: () => Promise<void>): Promise<void> {
  while (!done()) {
    try {
      await mkdir(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > staleLockMs) await rmdir(lock).catch(() => {});
      else await sleep(200);
      continue;
    }
    try {
      if (!done()) await build();
    } finally {
      await rmdir(lock);
    }
  }
}

let embeddedTemplateFile: Promise<string> | undefined;

/**
 * A dump of an embedded database with every migration applied (PGlite's dumpDataDir: a tar of its data
 * folder), kept in a file named by the migrations: the first test file to ask builds it, the others wait
 * for it and read it.
 */
function migratedEmbeddedTemplateFile(): Promise<string> {
  embeddedTemplateFile ??= (async () => {
    await mkdir(root, { recursive: true });
    const template = join(root, `pglite-${await migrationsKey()}.tar`);
    await onceAcrossProcesses(
      `${template}.lock`,
      () => existsSync(template),
      async () => {
        const client = new PGlite();
        await migrate(drizzle({ client }), { migrationsFolder });
        const dump = await client.dumpDataDir('none');
        await client.close();
        // Written under another name and renamed, so that no reader sees half a file.
        const building = `${template}.${process.pid}`;
        await writeFile(building, Buffer.from(await dump.arrayBuffer()));
        await rename(building, template);
      },
    );
    return template;
  })();
  return embeddedTemplateFile;
}

/**
 * A Blob whose bytes are also held in memory, and handed out by arrayBuffer() as they are: Node 20's own
 * arrayBuffer() reads a Blob back in chunks and joins them, and even one copy of the dump costs a good part
 * of an open (PGlite reads the whole dump so on every open). Unlike a Blob's own, it hands out the same
 * buffer every time, so it is only for readers that never write to it: PGlite's loadDataDir untars it,
 * copying each file into its in-memory file system.
 */
class InMemoryBlob extends Blob {
  readonly #buffer: ArrayBuffer;

  constructor(bytes: Uint8Array) {
    super([bytes]);
    // A copy of its own, whatever `bytes` shares its memory with.
    this.#buffer = new Uint8Array(bytes).buffer;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#buffer);
  }
}

let embeddedTemplate: Promise<Blob> | undefined;

/** The migrated embedded database's dump, for an in-memory PGlite to start from (`loadDataDir`). */
export function migratedEmbeddedTemplate(): Promise<Blob> {
  embeddedTemplate ??= migratedEmbeddedTemplateFile().then(async (file) => new InMemoryBlob(await readFile(file)));
  return embeddedTemplate;
}

/**
 * Makes `dataDir` an embedded database folder with every migration applied, as a server started on it
 * finds it: the template's tar unpacked, without starting PGlite (the folder's first start runs initdb,
 * the slow part, which server.test.ts's npm start proves).
 */
export async function migratedEmbeddedDataDir(dataDir: string): Promise<void> {
  const template = await migratedEmbeddedTemplateFile();
  await mkdir(dataDir, { recursive: true });
  await execFileAsync('tar', ['-xf', template, '-C', dataDir]);
}

/**
 * The name of a database on the server of `admin` with every migration applied, made once for the
 * migrations' contents: `CREATE DATABASE … TEMPLATE` copies it for each test file. It takes no
 * connections, so that copying it never meets one.
 */
export async function migratedPostgresTemplate(admin: postgres.Sql, serverUrl: string): Promise<string> {
  const name = `cn_test_template_${await migrationsKey()}`;
  const exists = async () => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  if (await exists()) return name;
  await admin`select pg_advisory_lock(hashtext(${name}))`;
  try {
    if (await exists()) return name;
    // Built under another name and renamed when complete, so that no test copies a half-migrated template.
    const building = `${name}_building`;
    await admin.unsafe(`drop database if exists ${building} with (force)`);
    await admin.unsafe(`create database ${building}`);
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await database.close();
    await admin.unsafe(`alter database ${building} rename to ${name}`);
    await admin.unsafe(`alter database ${name} allow_connections false`);
    return name;
  } finally {
    await admin`select pg_advisory_unlock(hashtext(${name}))`;
  }
}

/** Creates `name` as a copy of `template`, retrying while a passing connection (autovacuum's) holds the template. */
export async function createDatabaseFrom(admin: postgres.Sql, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      // 55006: object_in_use ("source database is being accessed by other users").
      if ((error as { code?: string }).code !== '55006' || attempt === 10) throw error;
      await sleep(200 * attempt);
    }
  }
}
