import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { projectPath } from './paths.js';

// Run from the sources (tests, development), a worker thread that loaded its TypeScript through tsx spent
// several times as long starting as one that loads a bundle, and a test suite starts many. So the
// workers' modules are bundled, once per process, as `npm run build` bundles them for `npm start`, with
// source maps so that stack traces and coverage point at src/. The folder is named by the bundle's
// content: processes running the same sources share it, and a change of the sources makes a new one.

/** The modules worker threads run, each bundled with what it imports (packages stay in node_modules). */
export const workerModules = ['evaluation-worker', 'import-worker'] as const;
export type WorkerModule = (typeof workerModules)[number];

/** Where the bundles of every version of the sources are kept; `npm ci` clears node_modules/.cache. */
const bundlesFolder = projectPath('node_modules', '.cache', 'centre-network-api', 'workers');

let bundled: Promise<string> | undefined;

/** The path of the bundle of `module` built from the sources as they are now. */
export async function workerBundle(module: WorkerModule): Promise<string> {
  bundled ??= bundleWorkers();
  return join(await bundled, `${module}.js`);
}

/** Bundles every worker module into a folder named by the bundles' content, unless it exists; its path. */
async function bundleWorkers(): Promise<string> {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: Object.fromEntries(workerModules.map((name) => [name, projectPath('src', `${name}.ts`)])),
    // Built as if into a folder beside the final ones, so that the maps' relative paths to src/ hold there.
    outdir: join(bundlesFolder, 'any'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // The maps point at src/, whose files coverage reports read.
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
  });
  const hash = createHash('sha256');
  for (const file of outputFiles) hash.update(basename(file.path)).update(file.contents);
  const folder = join(bundlesFolder, hash.digest('hex').slice(0, 16));
  // Maps first: a module is never there without its map. Each file is renamed into place whole, so that
  // another process starting a thread from it meanwhile never reads half of it.
  const files = [...outputFiles].sort((a, b) => Number(a.path.endsWith('.js')) - Number(b.path.endsWith('.js')));
  if (files.every((file) => existsSync(join(folder, basename(file.path))))) return folder;
  await mkdir(folder, { recursive: true });
  for (const file of files) {
    const target = join(folder, basename(file.path));
    const partial = `${target}.${process.pid}.partial`;
    await writeFile(partial, file.contents);
    await rename(partial, target);
  }
  return folder;
}
