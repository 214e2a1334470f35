// Fails when src/db/schema.ts and migrations/ disagree: drizzle-kit checks the migrations' snapshots, then
// generates from the schema into a copy of migrations/; any new file there is a migration nobody wrote.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const drizzleKit = join(root, 'node_modules', '.bin', 'drizzle-kit');
const schema = './src/db/schema.ts';

/** Runs drizzle-kit with no terminal: a question it would ask (a rename?) ends the run instead of waiting. */
async function drizzle(args: string[]): Promise<string> {
  const run = promisify(execFile)(drizzleKit, args, { cwd: root, timeout: 120_000 });
  const { stdout, stderr } = await run.catch((error: { stdout?: string; stderr?: string; message: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr || error.message,
  }));
  return stdout + stderr;
}

const filesIn = async (folder: string) => (await readdir(folder, { recursive: true })).sort();

/** What is wrong, or undefined when the migrations match the schema. */
async function drift(copy: string): Promise<string | undefined> {
  const checked = await drizzle(['check', '--dialect', 'postgresql', '--out', './migrations']);
  if (!/Everything's fine/i.test(checked)) return `drizzle-kit check finds the migrations inconsistent:\n${checked}`;
  const migrations = join(copy, 'migrations');
  await cp(join(root, 'migrations'), migrations, { recursive: true });
  const before = await filesIn(migrations);
  const output = await drizzle(['generate', '--dialect', 'postgresql', '--schema', schema, '--out', relative(root, migrations), '--name', 'drift']);
  const added = (await filesIn(migrations)).filter((file) => !before.includes(file));
  if (added.length > 0) {
    const sql = await Promise.all(
      added.filter((file) => file.endsWith('.sql')).map(async (file) => `\n-- ${file}\n${await readFile(join(migrations, file), 'utf8')}`),
    );
    return `${schema} differs from migrations/: drizzle-kit would generate ${added.join(', ')}.\n${sql.join('')}`;
  }
  // Anything else (a question about a rename it could not ask, an error) means the schema changed or broke.
  if (!/nothing to migrate/i.test(output)) return `drizzle-kit generate did not say the schema is unchanged:\n${output}`;
  return undefined;
}

// Inside the repository (.scratch/ is ignored): drizzle-kit reads --out relative to the working folder.
await mkdir(join(root, '.scratch'), { recursive: true });
const copy = await mkdtemp(join(root, '.scratch', 'migration-drift-'));
try {
  const problem = await drift(copy);
  if (problem) {
    console.error(`${problem}\nRun \`npm run db:generate\` (and review the migration), or change the schema back.`);
    process.exitCode = 1;
  } else {
    console.log('migrations/ match src/db/schema.ts');
  }
} finally {
  await rm(copy, { recursive: true, force: true });
}
