// Dropping a database made for one test file or benchmark run, as its owner (not a superuser).
import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';

/**
 * Drops `name`. WITH (FORCE) ends connections left open, but fails while an autovacuum worker is
 * connected (a non-superuser may not end it); a plain DROP DATABASE stops such workers itself. So it
 * tries one, then the other, a few times.
 */
export async function dropDatabase(admin: postgres.Sql, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      return;
    } catch (forced) {
      try {
        await admin.unsafe(`drop database if exists ${name}`);
        return;
      } catch {
        if (attempt === 5) throw forced;
        await sleep(500);
      }
    }
  }
}
