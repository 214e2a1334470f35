// The README's tour, pasted as a reader would: its shell block run with bash in a folder where a fresh
// server (the bundle npm start runs, loading the Liverpool demo) keeps its data, every curl failing on an
// error status.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { projectPath } from '../../src/paths.js';
import { migratedEmbeddedDataDir } from '../helpers/migrated-template.js';
import { buildBundle, serverProcess } from '../helpers/server-process.js';

t.setTimeout(300_000);

/** The shell blocks of the README section with this heading. */
export function shellBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`the README has no section "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

t.test('the README tour works when pasted top to bottom', async (t) => {
  const blocks = shellBlocks(await readFile(projectPath('README.md'), 'utf8'), '## A tour of the API');
  t.ok(blocks.length > 0, 'the tour has a shell block');
  const tour = blocks.join('\n');
  t.match(tour, /http:\/\/localhost:3000/, 'it talks to the address npm start prints');

  const folder = await mkdtemp(join(tmpdir(), 'cn-tour-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  // The embedded database's folder (npm start's default, where the tour reads the demo key) already
  // migrated: the server skips initdb, which server.test.ts's npm start proves, and still loads the demo
  // into the empty database and issues the demo key, as on a first start.
  await migratedEmbeddedDataDir(join(folder, '.data', 'pglite'));
  buildBundle();
  const server = serverProcess(process.execPath, [projectPath('dist', 'server.js')], {
    cwd: folder,
    // No load shedding: on a busy test machine the event loop lags past its limit just after start-up.
    env: { DATABASE_URL: '', DATA_DIR: '', PORT: '0', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0' },
    readyWhen: /Demo key/,
  });
  t.teardown(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const base = await server.ready;

  const script = ['set -euo pipefail', 'curl() { command curl --fail-with-body -sS "$@"; }', tour.replaceAll('http://localhost:3000', base)].join('\n');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const bash = spawn('bash', ['-c', script], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (chunk) => (stdout += chunk));
    bash.stderr.on('data', (chunk) => (stderr += chunk));
    bash.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  t.equal(result.code, 0, `the tour ran to its end: ${result.stderr}`);
  t.match(result.stdout, /"total":26/, "the network's 26 sites");
  t.match(result.stdout, /^\uFEFF?siteId,name,/m, 'the network as CSV');
  t.match(result.stdout, /Close 6 centres/, 'the demo scenarios');
  t.match(result.stdout, /\["Close 6 centres",227991540,/, "closure's saving, side by side");
  t.match(result.stdout, /\["Keep all open: hub-and-spoke management plus health income",186151820,23330\]/, 'and the hub-and-spoke option');
  t.match(result.stdout, /^\uFEFF?optionId,name,/m, 'the comparison as CSV');
});
