import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { buildBundle, serverProcess } from '../helpers/server-process.js';

t.test('configuration is validated once and fails fast with the variable named', async (t) => {
  const config = loadConfig({});
  t.equal(config.PORT, 3000);
  t.equal(config.DATA_DIR, '.data/pglite');
  t.equal(config.DEMO, true);
  t.equal(loadConfig({ DATABASE_URL: '' }).DATABASE_URL, undefined, 'an empty variable is unset');
  t.same(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS, ['https://a.example', 'https://b.example']);
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  t.throws(() => loadConfig({ ADMIN_API_KEY: 'short' }), /ADMIN_API_KEY: must be at least 32 characters/);
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
});

// Each test starts processes of its own (PGlite's first start is the slow part): more than tap's usual time.
t.setTimeout(300_000);
// What npm start runs: the bundle in dist/, built as npm start builds it.
buildBundle();

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) => serverProcess(command, args, { env });

// One embedded database folder for the file, as an operator has one: npm start creates it (the first start,
// initdb included), and create-admin-key later issues a key in the folder the stopped server let go of
// (or creates it, when run alone). Creating a second folder would only repeat the slow first start.
const dataDir = await mkdtemp(join(tmpdir(), 'cn-server-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));

t.test('npm start: the server on the embedded database; SIGTERM to npm stops it; create-admin-key refuses meanwhile', async (t) => {
  const server = run('npm', ['start'], { DATABASE_URL: '', PORT: '0', DATA_DIR: dataDir, DEMO: 'false', LOG_LEVEL: 'info' });
  t.teardown(server.killGroup);
  const url = await server.ready;
  // The moments after the start (the worker threads starting) are served like any other, never shed.
  const statuses = new Set<number>();
  for (const until = Date.now() + 1_000; Date.now() < until; ) statuses.add((await fetch(`${url}/health/ready`)).status);
  t.same([...statuses], [200], 'every request in the first second after the start answered 200');
  t.match(server.output.stdout, `Planner's pages: ${url}/councils/{councilId}/compare`, 'the start-up message names the pages');
  const login = await fetch(`${url}/login`);
  t.equal(login.headers.get('content-type'), 'text/html; charset=utf-8', 'where a browser signs in to them');

  const key = run(process.execPath, ['dist/create-admin-key.js', 'Ops team'], { DATABASE_URL: '', DATA_DIR: dataDir });
  t.equal(await key.exited, 1, 'no key is issued while the server holds the embedded database');
  t.match(key.output.stderr, /^No key issued\. The embedded database in .* is in use by process \d+ \(a running server\?\): stop it first/);
  t.notMatch(key.output.stdout, /cnk_/);

  // npm passes SIGTERM to its script, which `exec`s node: the server is npm's own child and gets it.
  server.child.kill('SIGTERM');
  await server.exited;
  t.match(server.output.stdout, /shutting down/, 'the server received the signal');
  const stillAnswers = await fetch(`${url}/health/live`).then(
    () => true,
    () => false,
  );
  t.notOk(stillAnswers, 'and stopped listening');
  await t.resolves(() => waitForFileGone(join(dataDir, 'centre-network.pid')), 'it let go of the database folder');
});

async function waitForFileGone(path: string) {
  for (let tries = 0; tries < 100; tries += 1) {
    if (!existsSync(path)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} is still there`);
}

t.test('an unreachable database stops the start with one line naming it, and no stack trace', async (t) => {
  const server = run(process.execPath, ['dist/server.js'], { DATABASE_URL: 'postgres://user:secret@127.0.0.1:1/nothing' });
  t.equal(await server.exited, 1);
  t.equal(server.output.stderr, 'Cannot open PostgreSQL at 127.0.0.1:1/nothing: connect ECONNREFUSED 127.0.0.1:1\n');
  t.notMatch(server.output.stderr, /secret/);
});

t.test('a bad configuration stops the start with a clear message', async (t) => {
  const server = run(process.execPath, ['dist/server.js'], { PORT: 'not-a-port' });
  t.equal(await server.exited, 1);
  t.match(server.output.stderr, /Invalid configuration:\n\s+PORT:/);
});

t.test('npm run create-admin-key issues an administrator key that can create councils', async (t) => {
  const script = run('npm', ['run', '-s', 'create-admin-key', '--', 'Ops team'], { DATABASE_URL: '', DATA_DIR: dataDir });
  t.equal(await script.exited, 0);
  const key = /cnk_[A-Za-z0-9_-]+/.exec(script.output.stdout)?.[0];
  t.ok(key, 'the key is printed once');
  const database = await openDatabase({ dataDir });
  const app = await buildApp({ database });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  const res = await app.inject({
    method: 'POST',
    url: '/councils',
    headers: { authorization: `Bearer ${key}` },
    payload: { code: 'E08000012', name: 'Liverpool' },
  });
  t.equal(res.statusCode, 201);
});
