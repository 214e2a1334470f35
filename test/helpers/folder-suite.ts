// Runs a folder's test files in one process. Each test file run on its own is a process that loads tap,
// tsx, fastify, zod and drizzle before its first assertion, which for most files costs more than their
// tests; files that share a process pay that once. Every file stays runnable alone (`npx tap <file>`),
// and tap's `exclude` (package.json) keeps the suite from also running a grouped folder's files singly.
import { readdirSync } from 'node:fs';
import t from 'tap';

// What a file costs next to a typical one of its folder, for those that cost several times as much
// (CPU alone, measured): they are dealt first, so that no part gets two of them.
const weights: Record<string, number> = {
  'routes/fuzz.test.ts': 6,
  'routes/import-parsing.test.ts': 6,
  'routes/tenancy.test.ts': 3.5,
};

/**
 * Imports every `*.test.ts` in `folder`, in name order, so that their tests run in this process one after
 * another; with `part`, only the files dealt to part `part.index` of `part.of`, so that a large folder can
 * be spread over several processes run side by side. Files are dealt heaviest first (`weights`, else 1),
 * then in name order, each to the part with the least weight so far (the first such on a tie).
 */
export async function runFolder(folder: URL, part: { index: number; of: number } = { index: 0, of: 1 }): Promise<void> {
  // Tap's time limit is per process, sized for one file.
  t.setTimeout(600_000);
  const weightOf = (name: string) => weights[`${folder.pathname.split('/').at(-2)}/${name}`] ?? 1;
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .sort((a, b) => weightOf(b) - weightOf(a));
  const loads = Array.from({ length: part.of }, () => 0);
  for (const name of files) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest]! += weightOf(name);
    if (lightest === part.index) await import(new URL(name, folder).href);
  }
}
