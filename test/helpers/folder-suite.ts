// Runs a folder's test files in one process. Each test file run on its own is a process that loads tap,
// tsx, fastify, zod and drizzle before its first assertion, which for most files costs more than their
// tests; files that share a process pay that once. Every file stays runnable alone (`npx tap <file>`),
// and tap's `exclude` (package.json) keeps the suite from also running a grouped folder's files singly.
import { readdirSync } from 'node:fs';
import tap, { type Test } from 'tap';

// What a file costs next to a typical one of its folder, for those that cost several times as much
// (CPU alone, measured): they are dealt first, so that no part gets two of them.
const weights: Record<string, number> = {
  'routes/fuzz.test.ts': 6,
  'routes/import-parsing.test.ts': 6,
  'routes/tenancy.test.ts': 3.5,
};

/** Whatever registers teardowns: a test, or `wholeProcess`. */
export type Teardowns = Pick<Test, 'teardown'>;

/** Teardowns for what lives until the process's tests end, even when made by a file's top level. */
export const wholeProcess: Teardowns = { teardown: (teardown) => tap.teardown(teardown) };

/** What the top level of the file runFolder is running has registered through `teardownAtEnd`, in order. */
let fileTeardowns: (() => unknown)[] | undefined;

/**
 * Registers `teardown` to run when the tests of `t` end. For tap's root while runFolder runs a file, that
 * is when that file's tests end, not the process's: what a file's top level makes for its tests (an app,
 * a database) is let go of before the next file's top level asks for its own, and can be reused by it.
 */
export function teardownAtEnd(t: Teardowns, teardown: () => unknown): void {
  if (t === tap && fileTeardowns) fileTeardowns.push(teardown);
  else t.teardown(teardown);
}

/** Runs the teardowns of the file that ran last, latest first (what was made on another goes first). */
async function endFile(): Promise<void> {
  const teardowns = fileTeardowns ?? [];
  fileTeardowns = undefined;
  for (const teardown of teardowns.reverse()) await teardown();
}

/**
 * Imports every `*.test.ts` in `folder`, in name order, so that their tests run in this process one after
 * another; with `part`, only the files dealt to part `part.index` of `part.of`, so that a large folder can
 * be spread over several processes run side by side. Files are dealt heaviest first (`weights`, else 1),
 * then in name order, each to the part with the least weight so far (the first such on a tie).
 */
export async function runFolder(folder: URL, part: { index: number; of: number } = { index: 0, of: 1 }): Promise<void> {
  // Tap's time limit is per process, sized for one file.
  tap.setTimeout(600_000);
  const weightOf = (name: string) => weights[`${folder.pathname.split('/').at(-2)}/${name}`] ?? 1;
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .sort((a, b) => weightOf(b) - weightOf(a));
  const loads = Array.from({ length: part.of }, () => 0);
  for (const name of files) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest]! += weightOf(name);
    if (lightest !== part.index) continue;
    // A file is imported in a step of its own, which tap queues after the tests the file before queued:
    // when it starts, those have ended, and what that file's top level made is torn down first.
    await tap.test(`load ${name}`, async () => {
      await endFile();
      fileTeardowns = [];
      await import(new URL(name, folder).href);
    });
  }
  tap.teardown(endFile);
}
