// How long `npm start` takes until the service is usable (the demo key printed, /health/ready answering),
// on the embedded database with the Liverpool demo: a first start (empty data folder: initdb, migrations,
// the demo) and restarts of the same folder. Goals: a restart under 5 s, a first start under 15 s. Also the
// processor time the server used until then (user + system, of every thread), which a busy machine
// stretches less than the wall time.
//
//   npm run bench:start            3 first starts, each followed by 3 restarts
//   npm run bench:start -- 1       1 first start and its 3 restarts
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverProcess } from '../test/helpers/server-process.js';

const rounds = Number(process.argv[2] ?? 3);
const restartsPerRound = 3;
const goals = { restartSeconds: 5, firstStartSeconds: 15 };

/** Processor seconds a process has used so far (Linux: utime + stime from /proc, in clock ticks). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(dataDir: string): Promise<{ seconds: number; cpu: number }> {
  const started = performance.now();
  const npm = serverProcess('npm', ['start'], {
    // No load shedding: on a busy machine the event loop lags past its limit just after start-up.
    env: { DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0' },
    readyWhen: /Demo key/,
  });
  const url = await npm.ready;
  const ready = await fetch(`${url}/health/ready`);
  if (ready.status !== 200) throw new Error(`/health/ready answered ${ready.status}`);
  const seconds = (performance.now() - started) / 1000;
  const serverPid = Number(/"pid":(\d+)/.exec(npm.output.stdout)?.[1]);
  const cpu = await cpuSeconds(serverPid);
  npm.child.kill('SIGTERM');
  await npm.exited;
  return { seconds, cpu };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const firsts: { seconds: number; cpu: number }[] = [];
const restarts: { seconds: number; cpu: number }[] = [];
for (let round = 0; round < rounds; round += 1) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cn-bench-start-'));
  try {
    firsts.push(await start(join(dataDir, 'pglite')));
    for (let restart = 0; restart < restartsPerRound; restart += 1) restarts.push(await start(join(dataDir, 'pglite')));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
const show = (runs: { seconds: number; cpu: number }[]) =>
  `median ${median(runs.map((run) => run.seconds)).toFixed(1)} s (${runs.map((run) => run.seconds.toFixed(1)).join(', ')}); ` +
  `server processor time median ${median(runs.map((run) => run.cpu)).toFixed(1)} s`;
console.log(`first start: ${show(firsts)}; goal under ${goals.firstStartSeconds} s`);
console.log(`restart:     ${show(restarts)}; goal under ${goals.restartSeconds} s`);
