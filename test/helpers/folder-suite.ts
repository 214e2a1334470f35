// Runs a folder's test files in one process. Each test file run on its own is a process that loads tap,
// tsx, fastify, zod and drizzle before its first assertion, which for most files costs more than their
// tests; files that share a process pay that once. Every file stays runnable alone (`npx tap <file>`),
// and tap's `exclude` (package.json) keeps the suite from also running a grouped folder's files singly.
import { readdirSync } from 'node:fs';
import t from 'tap';

/**
 * Imports every `*.test.ts` in `folder`, in name order, so that their tests run in this process one after
 * another; with `part`, only the files whose position in that order is `part.index` modulo `part.of`,
 * so that a large folder can be spread over several processes run side by side.
 */
export async function runFolder(folder: URL, part: { index: number; of: number } = { index: 0, of: 1 }): Promise<void> {
  // Tap's time limit is per process, sized for one file.
  t.setTimeout(600_000);
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  for (const [position, name] of files.entries()) {
    if (position % part.of === part.index) await import(new URL(name, folder).href);
  }
}
