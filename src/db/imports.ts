// Writes parsed import rows inside the import's transaction. Every writer reports rows it cannot
// apply (an unknown site, a spoke whose hub is not a hub) into the same report as the parser, and
// the route rolls the whole import back when the report is not clean.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { hubProblem, runFromHub, type SiteState } from '../domain/network-rules.js';
import type { AreaImportRow } from '../imports/areas.js';
import type { CentralCostImportRow } from '../imports/central-costs.js';
import type { IncomeStreamImportRow } from '../imports/income-streams.js';
import type { OutcomeImportRow } from '../imports/outcomes.js';
import type { PostImportRow } from '../imports/posts.js';
import type { ImportReport, RowIssue } from '../imports/report.js';
import type { ParsedRow, SiteKey } from '../imports/rows.js';
import type { SiteImportRow } from '../imports/sites.js';
import type { Tx } from './client.js';
import type { CouncilTable } from './council-rows.js';
import { areas, centralCosts, incomeStreams, outcomes, posts, sites } from './schema.js';

export interface ImportCounts {
  created: number;
  updated: number;
  /** Posts replaced by a posts import (the file is the full list for each site it names). */
  removed: number;
}

export interface ImportWriter<T> {
  /**
   * Writes a batch of rows in order, waiting only on the statements it runs. Stops at a row it rejects:
   * the import cannot stand, so the rows after it are only read for the report, as are the later batches.
   */
  write(rows: readonly ParsedRow<T>[]): Promise<void>;
  /** Applies what had to wait for the whole file (spokes whose hub comes later) and checks the result. */
  finish(): Promise<void>;
  counts: ImportCounts;
}

/** A row that parsed but cannot be applied to this council's network: its writer writes no more (ImportWriter.write). */
function rejectApplied(report: ImportReport, row: ParsedRow<unknown>, issues: RowIssue[]) {
  report.validRows -= 1;
  report.rejectRow(row.row, row.line, issues);
}

const describeKey = (key: SiteKey) => ('urn' in key ? `URN ${key.urn}` : `"${key.name}"`);

interface KnownSite extends SiteState {
  id: string;
  name: string;
}

/** The council's sites by URN, by name, and by name + postcode: the keys import files use. */
async function siteDirectory(tx: Tx, councilId: string) {
  const rows = await tx
    .select({ id: sites.id, name: sites.name, urn: sites.urn, postcode: sites.postcode, role: sites.role, status: sites.status })
    .from(sites)
    .where(eq(sites.councilId, councilId));
  const byUrn = new Map<string, KnownSite>();
  const byName = new Map<string, KnownSite[]>();
  const byNamePostcode = new Map<string, KnownSite>();
  const remember = (site: KnownSite & { urn: string | null; postcode: string | null }) => {
    const known: KnownSite = { id: site.id, name: site.name, role: site.role, status: site.status };
    if (site.urn) byUrn.set(site.urn, known);
    byName.set(site.name, [...(byName.get(site.name) ?? []).filter((s) => s.id !== site.id), known]);
    if (!site.urn) byNamePostcode.set(`${site.name}\u0000${site.postcode ?? ''}`, known);
  };
  rows.forEach(remember);
  /** Finds the site a file names; an ambiguous name is an issue, not a guess. */
  const find = (key: SiteKey, column: string): KnownSite | RowIssue => {
    if ('urn' in key) return byUrn.get(key.urn) ?? { column, reason: `no site of this council has ${describeKey(key)}` };
    const named = byName.get(key.name) ?? [];
    if (named.length === 1) return named[0]!;
    return {
      column,
      reason: named.length ? `${named.length} sites are called "${key.name}": name the site by URN` : `no site of this council is called "${key.name}"`,
    };
  };
  const existing = (row: SiteImportRow) => (row.urn ? byUrn.get(row.urn) : byNamePostcode.get(`${row.name}\u0000${row.postcode ?? ''}`));
  return { find, existing, remember };
}

const isIssue = (value: KnownSite | RowIssue): value is RowIssue => 'reason' in value;

export async function siteWriter(tx: Tx, councilId: string, report: ImportReport): Promise<ImportWriter<SiteImportRow>> {
  const directory = await siteDirectory(tx, councilId);
  const counts: ImportCounts = { created: 0, updated: 0, removed: 0 };
  // Spokes wait for the end of the file, so that a hub may come after its spokes.
  const spokes: ParsedRow<SiteImportRow>[] = [];

  async function upsert(parsed: ParsedRow<SiteImportRow>, hubId: string | null) {
    const { hub: _hub, ...row } = parsed.value;
    const values = Object.fromEntries(Object.entries({ ...row, hubId }).filter(([, value]) => value !== undefined));
    const current = directory.existing(parsed.value);
    const [saved] = current
      ? await tx
          .update(sites)
          .set({ ...values, updatedAt: sql`now()`, version: sql`${sites.version} + 1` })
          .where(eq(sites.id, current.id))
          .returning()
      : await tx
          .insert(sites)
          .values({ ...(values as typeof row), councilId })
          .returning();
    counts[current ? 'updated' : 'created'] += 1;
    directory.remember(saved!);
  }

  return {
    counts,
    async write(rows) {
      for (const parsed of rows) {
        if (runFromHub(parsed.value.role)) spokes.push(parsed);
        else await upsert(parsed, null);
      }
    },
    async finish() {
      for (const spoke of spokes) {
        const hub = directory.find(spoke.value.hub!, 'urn' in spoke.value.hub! ? 'hubUrn' : 'hubName');
        const problem = isIssue(hub) ? undefined : hubProblem(hub, spoke.value.status);
        if (isIssue(hub)) rejectApplied(report, spoke, [hub]);
        else if (problem) rejectApplied(report, spoke, [{ column: 'hubUrn', reason: `"${hub.name}" ${problem}` }]);
        else await upsert(spoke, hub.id);
      }
      // A hub the file closed or demoted may still have spokes from before: the import cannot stand.
      const hubs = alias(sites, 'hub');
      const spokesWithHubs = await tx
        .select({ spoke: sites.name, status: sites.status, hubRole: hubs.role, hubStatus: hubs.status })
        .from(sites)
        .innerJoin(hubs, eq(hubs.id, sites.hubId))
        .where(eq(sites.councilId, councilId));
      for (const { spoke, status, hubRole, hubStatus } of spokesWithHubs) {
        const problem = hubProblem({ role: hubRole, status: hubStatus }, status);
        if (problem) report.addError({ line: 0, row: null, column: null, reason: `spoke "${spoke}" would be left with a hub that ${problem}` });
      }
    },
  };
}

const batchSize = 500;

/** Areas upsert by LSOA code, in batches: a national file of 33,000 rows is a few dozen statements. */
export function areaWriter(tx: Tx, councilId: string): ImportWriter<AreaImportRow> {
  const counts: ImportCounts = { created: 0, updated: 0, removed: 0 };
  let batch: AreaImportRow[] = [];
  async function flush() {
    if (batch.length === 0) return;
    const result = await tx
      .insert(areas)
      .values(batch.map((row) => ({ ...row, councilId })))
      .onConflictDoUpdate({
        target: [areas.councilId, areas.code],
        set: {
          name: sql`excluded.name`,
          lat: sql`excluded.lat`,
          lon: sql`excluded.lon`,
          under5Population: sql`excluded.under5_population`,
          deprivationDecile: sql`excluded.deprivation_decile`,
          idaciDecile: sql`excluded.idaci_decile`,
          updatedAt: sql`now()`,
          version: sql`${areas.version} + 1`,
        },
      })
      // xmax is 0 for a freshly inserted row: tells creations from updates.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    for (const { inserted } of result) counts[inserted ? 'created' : 'updated'] += 1;
    batch = [];
  }
  return {
    counts,
    async write(rows) {
      for (const { value } of rows) {
        batch.push(value);
        if (batch.length >= batchSize) await flush();
      }
    },
    finish: flush,
  };
}

/** A posts file is the full establishment of each site it names: their old posts are replaced. */
export async function postWriter(tx: Tx, councilId: string, report: ImportReport): Promise<ImportWriter<PostImportRow>> {
  const directory = await siteDirectory(tx, councilId);
  const counts: ImportCounts = { created: 0, updated: 0, removed: 0 };
  const replaced = new Set<string>();
  let batch: (typeof posts.$inferInsert)[] = [];
  async function flush() {
    if (batch.length) await tx.insert(posts).values(batch);
    counts.created += batch.length;
    batch = [];
  }
  return {
    counts,
    async write(rows) {
      for (const parsed of rows) {
        const { site: key, ...post } = parsed.value;
        const site = directory.find(key, 'urn' in key ? 'siteUrn' : 'siteName');
        if (isIssue(site)) return rejectApplied(report, parsed, [site]);
        if (!replaced.has(site.id)) {
          replaced.add(site.id);
          const removed = await tx
            .delete(posts)
            .where(and(eq(posts.councilId, councilId), eq(posts.siteId, site.id)))
            .returning({ id: posts.id });
          counts.removed += removed.length;
        }
        batch.push({ ...post, siteId: site.id, councilId });
        if (batch.length >= batchSize) await flush();
      }
    },
    finish: flush,
  };
}

/** Income streams upsert by partner, kind, site and start date: a contract's natural key. */
export async function incomeStreamWriter(tx: Tx, councilId: string, report: ImportReport): Promise<ImportWriter<IncomeStreamImportRow>> {
  const directory = await siteDirectory(tx, councilId);
  const counts: ImportCounts = { created: 0, updated: 0, removed: 0 };
  const existing = new Map(
    (
      await tx
        .select({
          id: incomeStreams.id,
          partner: incomeStreams.partner,
          kind: incomeStreams.kind,
          siteId: incomeStreams.siteId,
          startDate: incomeStreams.startDate,
        })
        .from(incomeStreams)
        .where(eq(incomeStreams.councilId, councilId))
    ).map((s) => [`${s.partner}\u0000${s.kind}\u0000${s.siteId ?? ''}\u0000${s.startDate}`, s.id]),
  );
  return {
    counts,
    async write(rows) {
      for (const parsed of rows) {
        const { site: key, ...income } = parsed.value;
        let siteId: string | null = null;
        if (key) {
          const site = directory.find(key, 'urn' in key ? 'siteUrn' : 'siteName');
          if (isIssue(site)) return rejectApplied(report, parsed, [site]);
          siteId = site.id;
        }
        const naturalKey = `${income.partner}\u0000${income.kind}\u0000${siteId ?? ''}\u0000${income.startDate}`;
        const id = existing.get(naturalKey);
        if (id) {
          await tx
            .update(incomeStreams)
            .set({ ...income, siteId, updatedAt: sql`now()`, version: sql`${incomeStreams.version} + 1` })
            .where(eq(incomeStreams.id, id));
          counts.updated += 1;
        } else {
          const [row] = await tx
            .insert(incomeStreams)
            .values({ ...income, siteId, councilId })
            .returning({ id: incomeStreams.id });
          existing.set(naturalKey, row!.id);
          counts.created += 1;
        }
      }
    },
    finish: async () => {},
  };
}

/**
 * A writer that upserts by the one field a council names each row by (unique within the council): a
 * re-import updates, never duplicates. With `wholeSet`, the file is the council's whole set: the rows
 * it does not name are removed.
 */
async function upsertByName<T extends Record<string, unknown>>(
  tx: Tx,
  table: CouncilTable,
  councilId: string,
  key: keyof T & string,
  wholeSet = false,
): Promise<ImportWriter<T>> {
  const keyColumn = (table as unknown as Record<string, PgColumn>)[key]!;
  const rows = await tx.select({ id: table.id, key: keyColumn }).from(table).where(eq(table.councilId, councilId));
  const existing = new Map(rows.map((row) => [row.key as string, row.id as string]));
  const named = new Set<string>();
  const counts: ImportCounts = { created: 0, updated: 0, removed: 0 };
  return {
    counts,
    async write(rows) {
      for (const { value } of rows) {
        const name = value[key] as string;
        named.add(name);
        const id = existing.get(name);
        if (id) {
          await tx
            .update(table)
            .set({ ...value, updatedAt: sql`now()`, version: sql`${table.version} + 1` } as never)
            .where(eq(table.id, id));
          counts.updated += 1;
        } else {
          const [row] = await tx
            .insert(table)
            .values({ ...value, councilId } as never)
            .returning({ id: table.id });
          existing.set(name, row!.id as string);
          counts.created += 1;
        }
      }
    },
    async finish() {
      if (!wholeSet) return;
      const unnamed = [...existing].filter(([name]) => !named.has(name)).map(([, id]) => id);
      if (unnamed.length > 0) await tx.delete(table).where(and(eq(table.councilId, councilId), inArray(table.id, unnamed)));
      counts.removed = unnamed.length;
    },
  };
}

/** Central costs upsert by title: a council names each central post or budget line once. */
export const centralCostWriter = (tx: Tx, councilId: string) => upsertByName<CentralCostImportRow>(tx, centralCosts, councilId, 'title');

/**
 * An outcomes file is the council's whole set (so that one import replaces the illustrative defaults):
 * outcomes upsert by name, unique within a council, and those the file does not name are removed.
 */
export const outcomeWriter = (tx: Tx, councilId: string) => upsertByName<OutcomeImportRow>(tx, outcomes, councilId, 'name', true);
