// The typed client's example (clients/typescript/example.ts) run as a developer runs it, in a process of
// its own against the service listening on loopback with the Liverpool demo: it lists the sites, creates
// a scenario, evaluates it (JSON and CSV), compares it and deletes it.
import { spawn } from 'node:child_process';
import t from 'tap';
import { projectPath } from '../../src/paths.js';
import { demoApp } from '../helpers/demo.js';

t.test('the typed client example runs against a running service', async (t) => {
  const { app, api, councilId, key, scenarios } = await demoApp(t);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const child = spawn(process.execPath, ['--import', 'tsx', 'clients/typescript/example.ts'], {
    cwd: projectPath(),
    env: { ...process.env, CENTRE_NETWORK_URL: baseUrl, CENTRE_NETWORK_KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const killer = setTimeout(() => child.kill(), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);

  t.equal(code, 0, output);
  t.match(output, /Council: Liverpool \(E08000012\)/);
  t.match(output, /Sites: 26 \(\d+ open\)/);
  t.match(output, /Scenario created: Example: close /);
  t.match(output, /Evaluation: saves £[\d,]+ a year; under-5s reached \d+ → \d+/);
  t.match(output, /Evaluation CSV: \d{2,} lines/);
  t.match(output, /Compared: Baseline: saves £0 a year/);
  t.match(output, /Compared: Example: close .*: saves £[\d,]+ a year/);
  t.match(output, /Scenario deleted/);
  const after = (await api.get(`/councils/${councilId}/scenarios`)).body.items;
  t.equal(after.length, scenarios.length, 'the example cleans up after itself');
});
