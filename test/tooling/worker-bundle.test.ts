// The worker threads' bundle made from the sources (src/worker-bundle.ts): its source maps must lead back
// to src/, or coverage of everything the workers run, and their stack traces, would be lost.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import t from 'tap';
import { projectPath } from '../../src/paths.js';
import { workerBundle, workerModules } from '../../src/worker-bundle.js';

t.test('the workers are bundled once per process, with maps that lead back to src/', async (t) => {
  const folder = dirname(await workerBundle('evaluation-worker'));
  for (const name of workerModules) {
    const module = await workerBundle(name);
    t.equal(module, resolve(folder, `${name}.js`), `${name}: in the one folder of this process's bundle`);
    t.match(readFileSync(module, 'utf8'), /\/\/# sourceMappingURL=[\w-]+\.js\.map\s*$/, `${name}: the module names its map`);
    const map = JSON.parse(readFileSync(`${module}.map`, 'utf8')) as { sources: string[] };
    const sources = map.sources.map((source) => resolve(folder, source));
    t.ok(sources.includes(projectPath('src', `${name}.ts`)), `${name}: its map names src/${name}.ts`);
    t.same(
      sources.filter((source) => !existsSync(source)),
      [],
      `${name}: every source its map names is a file`,
    );
  }
});
