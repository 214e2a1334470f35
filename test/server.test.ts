import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';

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

t.test('the server starts on the embedded database and shuts down cleanly on SIGTERM', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cn-server-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, DATABASE_URL: '', PORT: '0', DATA_DIR: dataDir, DEMO: 'false', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${output}`)), 60_000);
    void exited.then((code) => reject(new Error(`exited with ${code} before starting:\n${output}`)));
    server.stdout.on('data', () => {
      const match = /Swagger UI: (http:\/\/[^/\s]+)\/docs/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const ready = await fetch(`${url}/health/ready`);
  t.equal(ready.status, 200);
  server.kill('SIGTERM');
  t.equal(await exited, 0, 'exits 0 after closing the database');
  t.match(output, /shutting down/);
});

t.test('a bad configuration stops the start with a clear message', async (t) => {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, PORT: 'not-a-port' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => server.on('exit', resolve));
  t.equal(code, 1);
  t.match(stderr, /Invalid configuration:\n\s+PORT:/);
});

t.test('npm run create-admin-key issues an administrator key that can create councils', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cn-key-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const script = spawn(process.execPath, ['--import', 'tsx', 'scripts/create-admin-key.ts', 'Ops team'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  script.stdout.on('data', (chunk) => (output += chunk));
  t.equal(await new Promise((resolve) => script.on('exit', resolve)), 0);
  const key = /cnk_[A-Za-z0-9_-]+/.exec(output)?.[0];
  t.ok(key, 'the key is printed once');
  const database = await openDatabase({ dataDir });
  const app = await buildApp({ database });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  const res = await app.inject({ method: 'POST', url: '/councils', headers: { authorization: `Bearer ${key}` }, payload: { code: 'E08000012', name: 'Liverpool' } });
  t.equal(res.statusCode, 201);
});
