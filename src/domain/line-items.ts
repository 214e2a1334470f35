// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
import type { AppliedScenario } from './actions.js';
import { appendTo } from './collections.js';
import type { PlanYear } from './dates.js';
import { isActiveWithin, streamIncomeInYear } from './finance.js';
import { fteScale, fteUnits, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { Network } from './types.js';

export type { NetworkLineItem, ScenarioLineItem };

type Source = Pick<NetworkLineItem, 'category' | 'sourceType' | 'sourceId' | 'description'>;

/**
 * Recurring year-1 items of a network: premises and running of open sites, staff of their posts, and
 * counted income active at any time in the horizon (so income starting after year 1 shows, at 0).
 * Handed to `emit` one by one rather than built as objects: the scenario pairs tens of thousands.
 */
function eachRecurringItem(
  network: Network,
  sites: SitesById,
  years: readonly PlanYear[],
  emit: (category: Source['category'], sourceType: Source['sourceType'], sourceId: string, description: string, pence: number) => void,
): void {
  for (const site of network.sites) {
    if (site.status !== 'open') continue;
    if (site.annualPremisesCostPence !== 0) emit('premises', 'site', site.id, site.name, site.annualPremisesCostPence);
    if (site.annualRunningCostPence !== 0) emit('running', 'site', site.id, site.name, site.annualRunningCostPence);
  }
  for (const post of network.posts) {
    if (sites.get(post.siteId)?.status !== 'open') continue;
    emit('staff', 'post', post.id, post.title, scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale));
  }
  for (const stream of network.incomeStreams) {
    if (!incomeCounts(stream, sites) || !isActiveWithin(stream, years)) continue;
    emit('income', 'income_stream', stream.id, stream.partner, streamIncomeInYear(stream, years[0]!));
  }
}

export function recurringLineItems(network: Network, sites: SitesById, years: readonly PlanYear[]): NetworkLineItem[] {
  const items: NetworkLineItem[] = [];
  eachRecurringItem(network, sites, years, (category, sourceType, sourceId, description, pence) =>
    items.push({ category, sourceType, sourceId, description, actionIndex: null, pence }),
  );
  return items;
}

/** The network's recurring items as a scenario that changes nothing shows them, and where each source's are. */
export interface UnchangedLineItems {
  items: readonly ScenarioLineItem[];
  /** Positions in `items` by source id. */
  positions: ReadonlyMap<string, number[]>;
}

export function unchangedLineItems(network: Network, sites: SitesById, years: readonly PlanYear[]): UnchangedLineItems {
  const items: ScenarioLineItem[] = [];
  const positions = new Map<string, number[]>();
  eachRecurringItem(network, sites, years, (category, sourceType, sourceId, description, pence) => {
    appendTo(positions, sourceId, items.length);
    items.push({ category, sourceType, sourceId, description, actionIndex: null, baselinePence: pence, scenarioPence: pence });
  });
  return { items, positions };
}

/**
 * Baseline and scenario items side by side, matched by category and source; `actionIndex` is the last
 * action that changed the source (null when none did). Items of the sites the scenario changed (their
 * own, their posts' and their income's) and of the income it changed are worked out again; the rest
 * are the baseline's `unchanged` items themselves, in place.
 */
export function scenarioLineItems(
  unchanged: UnchangedLineItems,
  {
    incomeStreams,
    lastChangedBy,
    changedSiteIds,
    postsBySite,
    sitesById: scenarioSites,
  }: Pick<AppliedScenario, 'incomeStreams' | 'lastChangedBy' | 'changedSiteIds' | 'postsBySite' | 'sitesById'>,
  years: readonly PlanYear[],
): ScenarioLineItem[] {
  const touched = new Set<string>(lastChangedBy.keys());
  const touchedScenario: Network = { sites: [], posts: [], incomeStreams: [], areas: [] };
  for (const siteId of changedSiteIds) {
    touched.add(siteId);
    const site = scenarioSites.get(siteId);
    if (site) touchedScenario.sites.push(site);
    for (const post of postsBySite.get(siteId) ?? []) {
      touched.add(post.id);
      touchedScenario.posts.push(post);
    }
  }
  for (const stream of incomeStreams) {
    if (!touched.has(stream.id) && (stream.siteId === null || !touched.has(stream.siteId))) continue;
    touched.add(stream.id);
    touchedScenario.incomeStreams.push(stream);
  }
  // Touched scenario items by category, then source id (no string keys to build).
  const unmatched = new Map<Source['category'], Map<string, NetworkLineItem>>();
  for (const item of recurringLineItems(touchedScenario, scenarioSites, years)) {
    const byId = unmatched.get(item.category);
    if (byId) byId.set(item.sourceId, item);
    else unmatched.set(item.category, new Map([[item.sourceId, item]]));
  }
  const items = unchanged.items.slice();
  for (const sourceId of touched) {
    for (const position of unchanged.positions.get(sourceId) ?? []) {
      const { category, sourceType, description, baselinePence } = items[position]!;
      const match = unmatched.get(category)?.get(sourceId);
      if (match) unmatched.get(category)!.delete(sourceId);
      items[position] = {
        category,
        sourceType,
        sourceId,
        description: match?.description ?? description,
        actionIndex: lastChangedBy.get(sourceId) ?? null,
        baselinePence,
        scenarioPence: match?.pence ?? 0,
      };
    }
  }
  for (const byId of unmatched.values()) {
    for (const { pence, ...item } of byId.values()) items.push({ ...item, actionIndex: lastChangedBy.get(item.sourceId) ?? null, baselinePence: 0, scenarioPence: pence });
  }
  return items;
}
