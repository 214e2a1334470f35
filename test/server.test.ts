import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../src/config.js';

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
