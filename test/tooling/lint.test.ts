// The lint rules the team relies on (biome.jsonc), each shown failing on a deliberate violation: a copy
// of the configuration is run over small files in a scratch folder laid out like the repository.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';

const root = resolve(import.meta.dirname, '..', '..');
const biome = join(root, 'node_modules', '.bin', 'biome');

/** Lints `files` (path → source) under the repository's configuration; the rules each file breaks. */
async function lint(files: Record<string, string>): Promise<{ passed: boolean; broken: Map<string, string[]> }> {
  const folder = await mkdtemp(join(tmpdir(), 'lint-probe-'));
  try {
    await copyFile(join(root, 'biome.jsonc'), join(folder, 'biome.jsonc'));
    for (const [path, source] of Object.entries(files)) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), source);
    }
    const run = promisify(execFile)(biome, ['lint', '--error-on-warnings', '--vcs-enabled=false', '--reporter=github'], { cwd: folder });
    const { stdout, passed } = await run.then(
      ({ stdout }) => ({ stdout, passed: true }),
      (error: { stdout: string }) => ({ stdout: error.stdout, passed: false }),
    );
    const broken = new Map<string, string[]>();
    for (const [, rule, file] of stdout.matchAll(/^::\w+ title=([^,]+),file=([^,]+),/gm)) {
      const path = file!.slice(folder.length + 1);
      broken.set(path, [...(broken.get(path) ?? []), rule!]);
    }
    return { passed, broken };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

t.test('the planning core imports no HTTP, database or I/O code', async (t) => {
  const imports = [
    "import type { FastifyInstance } from 'fastify';",
    "import { sql } from 'drizzle-orm';",
    "import postgres from 'postgres';",
    "import { readFileSync } from 'node:fs';",
    "import type { Db } from '../db/client.js';",
    "import { ProblemError } from '../http/problem.js';",
    "import { registerSites } from '../routes/sites.js';",
  ];
  const uses = 'export type Used = FastifyInstance | Db;\nexport const used = [sql, postgres, readFileSync, ProblemError, registerSites];\n';
  const source = `${imports.join('\n')}\n${uses}`;
  const { passed, broken } = await lint({ 'src/domain/probe.ts': source, 'src/routes/probe.ts': source });
  t.notOk(passed);
  t.same(broken.get('src/domain/probe.ts'), Array(imports.length).fill('lint/style/noRestrictedImports'), 'each import refused in src/domain');
  t.notOk(broken.has('src/routes/probe.ts'), 'the same imports are fine outside the core');
});

t.test('an import cycle fails, type-only imports included', async (t) => {
  const { passed, broken } = await lint({
    'src/schemas/thing.ts': "import { limit } from '../domain/thing.js';\nexport type Thing = { size: number };\nexport const max = limit;\n",
    'src/domain/thing.ts': "import type { Thing } from '../schemas/thing.js';\nexport const limit = 3;\nexport const size = (thing: Thing) => thing.size;\n",
  });
  t.notOk(passed);
  t.same(broken.get('src/domain/thing.ts'), ['lint/suspicious/noImportCycles']);
  t.same(broken.get('src/schemas/thing.ts'), ['lint/suspicious/noImportCycles']);
});

t.test('a long parameter list fails; a parameter object passes', async (t) => {
  const long = 'export const sum = (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => a + b + c + d + e + f + g;\n';
  const object = 'export const sum = (p: { a: number; b: number; c: number; d: number; e: number; f: number; g: number }) => p.a + p.g;\n';
  const { broken } = await lint({ 'src/long.ts': long, 'src/object.ts': object });
  t.same(broken.get('src/long.ts'), ['lint/complexity/useMaxParams']);
  t.notOk(broken.has('src/object.ts'));
});

t.test('every test file runs in npm test: the folders tap leaves out are the folders test/by-folder runs', async (t) => {
  const tapConfig = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).tap as { exclude: string[] };
  const leftOut = tapConfig.exclude
    .map((pattern) => /^test\/@\(([^)]+)\)\/\*\*$/.exec(pattern)?.[1])
    .filter((folders) => folders !== undefined)
    .flatMap((folders) => folders.split('|'));
  const suites = (await readdir(join(root, 'test', 'by-folder'))).filter((name) => name.endsWith('.test.ts'));
  const run = new Set<string>();
  for (const suite of suites) {
    const source = await readFile(join(root, 'test', 'by-folder', suite), 'utf8');
    for (const [, folder] of source.matchAll(/runFolder\(new URL\('\.\.\/([\w-]+)\/'/g)) run.add(folder!);
  }
  t.ok(leftOut.length > 0, 'package.json names the folders tap leaves out');
  t.same([...run].sort(), [...leftOut].sort(), 'each folder left out is run by a suite, and only those');
});
