// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
import type { AppliedScenario } from './actions.js';
import { appendTo, groupPositions, type PositionsByKey } from './collections.js';
import type { PlanYear } from './dates.js';
import { isActiveWithin, streamIncomeInYear } from './finance.js';
import { fteScale, fteUnits, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { NetworkIndex, PreparedNetwork } from './prepared.js';
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
 * action that changed the source (null when none did). The items of the sites the scenario changed
 * (their own, their posts' and their income's) and of the income it touched are worked out again; the
 * rest are the baseline's `unchanged` items themselves, in place. A source's baseline item is found
 * among its site's few (income by the site it had in the baseline), not in a map of every item. Items
 * the baseline lacks follow (sites and posts of the changed sites in the order they were first changed,
 * then income in the scenario's order), then `oneOff`.
 */
export function scenarioLineItems(
  unchanged: UnchangedLineItems,
  {
    sites: scenarioSites,
    touchedIncome,
    lastChangedBy,
    changedSiteIds,
    postsBySite,
    sitesById,
  }: Pick<AppliedScenario, 'sites' | 'touchedIncome' | 'lastChangedBy' | 'changedSiteIds' | 'postsBySite' | 'sitesById'>,
  baseline: Pick<PreparedNetwork, 'network' | 'sitePositions' | 'incomeStreams'>,
  years: readonly PlanYear[],
  oneOff: readonly ScenarioLineItem[],
): ScenarioLineItem[] {
  const { start, positions: siteItems } = unchanged.bySite;
  const baselineItems = unchanged.items;
  // 1 for the positions worked out again, 2 once the scenario's item for it is found.
  const state = new Uint8Array(baselineItems.length);
  const replaced: number[] = [];
  const replace = (position: number) => {
    if (state[position] !== 0) return;
    state[position] = 1;
    replaced.push(position);
  };
  const touched: Network = { sites: [], posts: [], incomeStreams: touchedIncome.scenario, areas: [] };
  for (const siteId of changedSiteIds) {
    const sitePosition = baseline.sitePositions.get(siteId)!;
    touched.sites.push(scenarioSites[sitePosition]!);
    for (const post of postsBySite.get(siteId) ?? []) touched.posts.push(post);
    for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) replace(siteItems[slot]!);
  }
  // Actions mark every change to a site, post or tied income against its site: only income tied to none is left.
  for (const position of touchedIncome.baseline) {
    const { id, siteId } = baseline.network.incomeStreams[position]!;
    if (siteId === null) unchanged.unsited.get(id)?.forEach(replace);
  }
  const baselinePosition = (category: Source['category'], sourceId: string, siteId: string | null): number => {
    if (siteId === null) return unchanged.unsited.get(sourceId)?.find((position) => baselineItems[position]!.category === category) ?? -1;
    const sitePosition = baseline.sitePositions.get(siteId)!;
    for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) {
      const item = baselineItems[siteItems[slot]!]!;
      if (item.sourceId === sourceId && item.category === category) return siteItems[slot]!;
    }
    return -1;
  };
  const matched: number[] = [];
  const matchedPence: number[] = [];
  const added: ScenarioLineItem[] = [];
  eachRecurringItem(touched, sitesById, years, (category, sourceType, sourceId, description, pence, siteId) => {
    // Income may have moved (relocated on a closure) or be new: it is found where the baseline had it.
    const baselineStream = category === 'income' ? baseline.incomeStreams.get(sourceId) : undefined;
    const position = category === 'income' && !baselineStream ? -1 : baselinePosition(category, sourceId, baselineStream ? baselineStream.siteId : siteId);
    if (position >= 0) {
      state[position] = 2;
      matched.push(position);
      matchedPence.push(pence);
    } else {
      added.push({ category, sourceType, sourceId, description, actionIndex: lastChangedBy.get(sourceId) ?? null, baselinePence: 0, scenarioPence: pence });
    }
  });
  const items = baselineItems.concat(added, oneOff);
  // The same source as in the baseline, so the same description; unchanged items are kept as they are.
  const rework = (position: number, scenarioPence: number) => {
    const item = baselineItems[position]!;
    const actionIndex = lastChangedBy.get(item.sourceId) ?? null;
    if (actionIndex === null && scenarioPence === item.scenarioPence) return;
    const { category, sourceType, sourceId, description, baselinePence } = item;
    items[position] = { category, sourceType, sourceId, description, actionIndex, baselinePence, scenarioPence };
  };
  matched.forEach((position, index) => rework(position, matchedPence[index]!));
  for (const position of replaced) if (state[position] === 1) rework(position, 0);
  return items;
}
