// Loads the Liverpool demo into an empty database through the same writers as the CSV imports.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { areaWriter, type ImportWriter, incomeStreamWriter, postWriter, siteWriter } from '../db/imports.js';
import { apiKeys, councils, outcomes, scenarios, sites } from '../db/schema.js';
import { generateKey } from '../http/auth.js';
import { hashKey } from '../http/key-hash.js';
import { ImportReport } from '../imports/report.js';
import { numberedRows } from '../imports/rows.js';
import { illustrativeOutcomes } from './illustrative-outcomes.js';
import { type LiverpoolDemo, withSiteIds } from './liverpool.js';

async function writeAll<T>(writer: ImportWriter<T>, values: readonly T[]) {
  await writer.write(numberedRows(values));
  await writer.finish();
}

async function seedInto(tx: Tx, demo: LiverpoolDemo) {
  const [council] = await tx.insert(councils).values(demo.council).returning({ id: councils.id });
  const councilId = council!.id;
  const report = new ImportReport();
  await writeAll(await siteWriter(tx, councilId, report), demo.sites);
  await writeAll(await postWriter(tx, councilId, report), demo.posts);
  await writeAll(await incomeStreamWriter(tx, councilId, report), demo.incomeStreams);
  await writeAll(areaWriter(tx, councilId), demo.areas);
  await tx.insert(outcomes).values(illustrativeOutcomes.map((outcome) => ({ ...outcome, councilId })));
  if (!report.ok) throw new Error(`the demo data does not load: ${report.errors.map((e) => e.reason).join('; ')}`);

  const idByName = new Map((await tx.select({ id: sites.id, name: sites.name }).from(sites).where(eq(sites.councilId, councilId))).map((s) => [s.name, s.id]));
  const idOf = (name: string) => {
    const id = idByName.get(name);
    if (!id) throw new Error(`the demo scenarios name an unknown site: ${name}`);
    return id;
  };
  await tx.insert(scenarios).values(
    demo.scenarios.map((scenario) => ({
      councilId,
      name: scenario.name,
      description: scenario.description,
      parameters: {},
      actions: scenario.actions.map((action) => withSiteIds(action, idOf)),
    })),
  );
  return councilId;
}

/**
 * Seeds the demo council when the database holds no council yet; returns its id, or null when it did nothing.
 * The demo is loaded only then: a restart reads no fixtures.
 */
export async function seedDemoIfEmpty(db: Db, loadDemo: () => Promise<LiverpoolDemo>): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(councils);
    if ((existing?.n ?? 0) > 0) return null;
    return seedInto(tx, await loadDemo());
  });
}

const demoKeyName = 'Demo key (printed by npm start)';

/** A fresh key to the demo council; the demo keys made before are revoked. */
export async function issueDemoKey(db: Db, councilCode: string): Promise<{ key: string; councilId: string } | null> {
  const [council] = await db.select({ id: councils.id }).from(councils).where(eq(councils.code, councilCode));
  if (!council) return null;
  const generated = generateKey();
  await db.transaction(async (tx) => {
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.councilId, council.id), eq(apiKeys.name, demoKeyName), isNull(apiKeys.revokedAt)));
    await tx.insert(apiKeys).values({ councilId: council.id, name: demoKeyName, hash: generated.hash, prefix: generated.prefix });
  });
  return { key: generated.key, councilId: council.id };
}

/**
 * The demo council's key for Swagger UI's Authorize button, kept in `keyFile` (readable by its owner only)
 * so that a restart prints the same key and a browser that remembered it stays signed in. A new one is
 * issued when the file is missing or names a key that no longer works.
 */
export async function keptDemoKey(db: Db, councilCode: string, keyFile: string): Promise<{ key: string; councilId: string } | null> {
  const kept = await readFile(keyFile, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (kept) {
    const [usable] = await db
      .select({ councilId: councils.id })
      .from(apiKeys)
      .innerJoin(councils, eq(councils.id, apiKeys.councilId))
      .where(and(eq(apiKeys.hash, hashKey(kept)), eq(councils.code, councilCode), isNull(apiKeys.revokedAt)));
    if (usable) return { key: kept, councilId: usable.councilId };
  }
  const issued = await issueDemoKey(db, councilCode);
  if (issued) {
    await writeFile(keyFile, `${issued.key}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o600); // writeFile's mode applies only when it creates the file
  }
  return issued;
}
