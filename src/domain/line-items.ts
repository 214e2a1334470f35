// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
import type { AppliedScenario } from './actions.js';
import { appendTo, groupPositions, type PositionsByKey } from './collections.js';
import type { PlanYear } from './dates.js';
import { isActiveWithin, streamIncomeInYear } from './finance.js';
import { fteScale, fteUnits, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { NetworkIndex } from './prepared.js';
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
  emit: (
    category: Source['category'],
    sourceType: Source['sourceType'],
    sourceId: string,
    description: string,
    pence: number,
    /** The site the source belongs to, if any. */
    siteId: string | null,
  ) => void,
): void {
  for (const site of network.sites) {
    if (site.status !== 'open') continue;
    if (site.annualPremisesCostPence !== 0) emit('premises', 'site', site.id, site.name, site.annualPremisesCostPence, site.id);
    if (site.annualRunningCostPence !== 0) emit('running', 'site', site.id, site.name, site.annualRunningCostPence, site.id);
  }
  for (const post of network.posts) {
    if (sites.get(post.siteId)?.status !== 'open') continue;
    emit('staff', 'post', post.id, post.title, scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale), post.siteId);
  }
  for (const stream of network.incomeStreams) {
    if (!incomeCounts(stream, sites) || !isActiveWithin(stream, years)) continue;
    emit('income', 'income_stream', stream.id, stream.partner, streamIncomeInYear(stream, years[0]!), stream.siteId);
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
  /** Positions in `items` by the position in the network of the site they belong to: its own, its posts' and its income's. */
  bySite: PositionsByKey;
  /** Positions in `items` of the sources that belong to no site (income tied to none), by source id. */
  unsited: ReadonlyMap<string, number[]>;
}

export function unchangedLineItems(network: Network, index: NetworkIndex, years: readonly PlanYear[]): UnchangedLineItems {
  const items: ScenarioLineItem[] = [];
  const sitePositions: number[] = [];
  const unsited = new Map<string, number[]>();
  eachRecurringItem(network, index.sites, years, (category, sourceType, sourceId, description, pence, siteId) => {
    const sitePosition = siteId === null ? undefined : index.sitePositions.get(siteId);
    if (sitePosition === undefined) appendTo(unsited, sourceId, items.length);
    sitePositions.push(sitePosition ?? -1);
    items.push({ category, sourceType, sourceId, description, actionIndex: null, baselinePence: pence, scenarioPence: pence });
  });
  return { items, bySite: groupPositions(sitePositions, network.sites.length), unsited };
}

/**
 * Baseline and scenario items side by side, matched by category and source; `actionIndex` is the last
 * action that changed the source (null when none did). Items of the sites the scenario changed (their
 * own, their posts' and their income's) and of the income it changed are worked out again; the rest
 * are the baseline's `unchanged` items themselves, in place. The scenario's sites are the baseline's
 * with the changed ones in their positions, so the items to replace are found by position: those of the
 * changed sites, and those of the income tied to no site that an action changed.
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
  sitePositions: ReadonlyMap<string, number>,
  years: readonly PlanYear[],
): ScenarioLineItem[] {
  const { start, positions: siteItems } = unchanged.bySite;
  const replaced: number[] = [];
  // Marks positions already in `replaced`: a changed source's items are mostly also its site's.
  const isReplaced = new Uint8Array(unchanged.items.length);
  const replace = (position: number) => {
    if (isReplaced[position] === 1) return;
    isReplaced[position] = 1;
    replaced.push(position);
  };
  // In the order the sites were first changed: items the baseline lacks are appended in that order.
  const touchedScenario: Network = { sites: [], posts: [], incomeStreams: [], areas: [] };
  for (const siteId of changedSiteIds) {
    const site = scenarioSites.get(siteId);
    if (site) touchedScenario.sites.push(site);
    for (const post of postsBySite.get(siteId) ?? []) touchedScenario.posts.push(post);
    const sitePosition = sitePositions.get(siteId);
    if (sitePosition === undefined) continue;
    for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) replace(siteItems[slot]!);
  }
  // Actions mark every change to a site, post or tied income against its site: only income tied to none is left.
  for (const [sourceId, positions] of unchanged.unsited) if (lastChangedBy.has(sourceId)) positions.forEach(replace);
  for (const stream of incomeStreams) {
    if (lastChangedBy.has(stream.id) || (stream.siteId !== null && changedSiteIds.has(stream.siteId))) touchedScenario.incomeStreams.push(stream);
  }
  // Touched scenario items by category, then source id (no string keys to build).
  const unmatched = new Map<Source['category'], Map<string, NetworkLineItem>>();
  for (const item of recurringLineItems(touchedScenario, scenarioSites, years)) {
    const byId = unmatched.get(item.category);
    if (byId) byId.set(item.sourceId, item);
    else unmatched.set(item.category, new Map([[item.sourceId, item]]));
  }
  const items = unchanged.items.slice();
  for (const position of replaced) {
    const { category, sourceType, sourceId, description, baselinePence } = items[position]!;
    const byId = unmatched.get(category);
    const match = byId?.get(sourceId);
    if (match) byId!.delete(sourceId);
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
  for (const byId of unmatched.values()) {
    for (const { pence, ...item } of byId.values()) items.push({ ...item, actionIndex: lastChangedBy.get(item.sourceId) ?? null, baselinePence: 0, scenarioPence: pence });
  }
  return items;
}
