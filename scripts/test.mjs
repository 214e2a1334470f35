// `npm test`: the suite under tap with V8 coverage on, then c8's report of src/ against the floor in
// .c8rc.json. Arguments go to tap (`npm test -- --reporter=tap`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TapConfig } from '@tapjs/config';

const coverageFolder = join('coverage', 'tmp');
await rm(coverageFolder, { recursive: true, force: true });

/**
 * Runs a step and resolves with its exit code. A signal that stops this script (SIGTERM to `npm test`
 * from a CI runner's time limit, say) is passed to the step, and the script then ends by it too, so that
 * no tap run outlives it.
 */
async function run(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const pass = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, pass);
  const [code, signal] = await once(child, 'exit');
  for (const signal of signals) process.off(signal, pass);
  if (signal) process.kill(process.pid, signal);
  return code ?? 1;
}
const bin = (name) => join('node_modules', '.bin', name);

// Tap is rebuilt with the plugins package.json names (without its TypeScript plugin: tsx runs the files)
// before the run, not only after it, as tap itself would. The build takes seconds, so it is skipped when
// tap's built test class already carries those plugins' signature, the comparison tap's runner makes.
const { pluginSignature } = await TapConfig.load();
const builtTestClass = await readFile(fileURLToPath(import.meta.resolve('@tapjs/test/test-built')), 'utf8');
if (!builtTestClass.includes(`export const signature = \`${pluginSignature}\``) && (await run(bin('tap'), ['build'])) !== 0) process.exit(1);

const tests = await run(bin('tap'), process.argv.slice(2), { ...process.env, NODE_V8_COVERAGE: coverageFolder });

// Each process's coverage file holds every script it ran (tap's, node_modules', node's own) with their
// source maps, most of which c8 would remap only to exclude. Only the scripts that can map to src/ are
// kept: the sources run through tsx and the worker threads' bundle (src/worker-bundle.ts); dist/, which
// the end-to-end tests run, has no source maps.
const project = pathToFileURL(`${process.cwd()}/`).href;
const mapsToSources = (url) => ['src/', 'node_modules/.cache/centre-network-api/'].some((folder) => url.startsWith(project + folder));
for (const name of await readdir(coverageFolder)) {
  const file = join(coverageFolder, name);
  let coverage;
  try {
    coverage = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // Left part-written by a process ended while writing it (a test file past its time limit, a failure tap
    // reports): c8 would stop at it.
    await rm(file);
    continue;
  }
  coverage.result = coverage.result.filter((script) => mapsToSources(script.url));
  const sourceMaps = coverage['source-map-cache'] ?? {};
  for (const url of Object.keys(sourceMaps)) if (!mapsToSources(url)) delete sourceMaps[url];
  await writeFile(file, JSON.stringify(coverage));
}

const floor = await run(bin('c8'), ['report', '--check-coverage']);
if (tests !== 0) console.error(`npm test: tap exited with ${tests}`);
if (floor !== 0) console.error(`npm test: coverage is below the floor in .c8rc.json (c8 exited with ${floor})`);
process.exitCode = tests || floor;
