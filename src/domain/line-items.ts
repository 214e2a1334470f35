// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
import { lastChange, type AppliedScenario } from './actions.js';
import { centralLinePence } from './central-costs.js';
import { appendTo, groupPositions, type PositionsByKey } from './collections.js';
import type { PlanYear } from './dates.js';
import { isActiveWithin, streamIncomeInYear } from './finance.js';
import { fteScale, fteUnits, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { NetworkIndex, PreparedNetwork } from './prepared.js';
import type { CentralCost, IncomeStream, Network, Post, Site } from './types.js';

export type { NetworkLineItem, ScenarioLineItem };

type Source = Pick<NetworkLineItem, 'category' | 'sourceType' | 'sourceId' | 'description'>;

/** Hands over one item: its source, its year-1 amount and the site the source belongs to, if any. */
type Emit = (
  category: Source['category'],
  sourceType: Source['sourceType'],
  sourceId: string,
  description: string,
  pence: number,
  siteId: string | null,
) => void;

/** A site's own items: premises and running, while it is open. */
function eachSiteItem(site: Site, emit: Emit): void {
  if (site.status !== 'open') return;
  if (site.annualPremisesCostPence !== 0) emit('premises', 'site', site.id, site.name, site.annualPremisesCostPence, site.id);
  if (site.annualRunningCostPence !== 0) emit('running', 'site', site.id, site.name, site.annualRunningCostPence, site.id);
}

/** A post's staff item, for a post at an open site. */
function postItem(post: Post, emit: Emit): void {
  emit('staff', 'post', post.id, post.title, scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale), post.siteId);
}

/** A stream's income item, when it counts and is active at any time in the horizon (so income starting after year 1 shows, at 0). */
function eachIncomeItem(stream: IncomeStream, sites: SitesById, years: readonly PlanYear[], emit: Emit): void {
  if (!incomeCounts(stream, sites) || !isActiveWithin(stream, years)) return;
  emit('income', 'income_stream', stream.id, stream.partner, streamIncomeInYear(stream, years[0]!), stream.siteId);
}

/** A central cost's item: it belongs to no site. */
function centralItem(line: CentralCost, emit: Emit): void {
  emit('central', 'central_cost', line.id, line.title, centralLinePence(line), null);
}

/**
 * Recurring year-1 items of a network: premises and running of open sites, staff of their posts,
 * central costs and counted income. Handed to `emit` one by one rather than built as objects.
 */
function eachRecurringItem(network: Network, sites: SitesById, years: readonly PlanYear[], emit: Emit): void {
  for (const site of network.sites) eachSiteItem(site, emit);
  for (const post of network.posts) if (sites.get(post.siteId)?.status === 'open') postItem(post, emit);
  for (const line of network.centralCosts ?? []) centralItem(line, emit);
  for (const stream of network.incomeStreams) eachIncomeItem(stream, sites, years, emit);
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
  /** Positions in `items` of the sources that belong to no site (central costs, income tied to none), by source id. */
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
 * (their own, their posts' and their income's) and of the income it touched are worked out again, site
 * by site: a source's baseline item is found among its site's few (income among those of the site it
 * had in the baseline, as it may have moved), not in a map of every item. The rest are the baseline's
 * `unchanged` items themselves, in place; so are the central costs', but for those an action changed.
 * Items the baseline lacks follow (the changed sites' own and their posts', in the order the sites were
 * first changed, then income in the scenario's order, then central costs added), then `oneOff`.
 */
export function scenarioLineItems(
  unchanged: UnchangedLineItems,
  {
    sites: scenarioSites,
    touchedIncome,
    changesBySite,
    incomeChangedBy,
    postsBySite,
    sitesById,
    centralCosts,
    centralChangedBy,
  }: Pick<AppliedScenario, 'sites' | 'touchedIncome' | 'changesBySite' | 'incomeChangedBy' | 'postsBySite' | 'sitesById' | 'centralCosts' | 'centralChangedBy'>,
  baseline: Pick<PreparedNetwork, 'sitePositions' | 'incomeStreams'>,
  years: readonly PlanYear[],
  oneOff: readonly ScenarioLineItem[],
): ScenarioLineItem[] {
  const { start, positions: siteItems } = unchanged.bySite;
  const baselineItems = unchanged.items;
  const items = baselineItems.slice();
  const added: ScenarioLineItem[] = [];
  const add = (
    category: Source['category'],
    sourceType: Source['sourceType'],
    sourceId: string,
    description: string,
    actionIndex: number | null,
    pence: number,
  ) => added.push({ category, sourceType, sourceId, description, actionIndex, baselinePence: 0, scenarioPence: pence });
  // 1 for each baseline item whose scenario side is worked out.
  const settled = new Uint8Array(baselineItems.length);
  const settle = (position: number, actionIndex: number | null, scenarioPence: number) => {
    settled[position] = 1;
    const item = baselineItems[position]!;
    if (actionIndex === null && scenarioPence === item.scenarioPence) return; // as it was
    const { category, sourceType, sourceId, description, baselinePence } = item;
    items[position] = { category, sourceType, sourceId, description, actionIndex, baselinePence, scenarioPence };
  };
  /** The position of the baseline item of `category` and `sourceId` among those of the site at `sitePosition`; −1 if none. */
  const findAt = (sitePosition: number, category: Source['category'], sourceId: string): number => {
    for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) {
      const item = baselineItems[siteItems[slot]!]!;
      if (item.sourceId === sourceId && item.category === category) return siteItems[slot]!;
    }
    return -1;
  };
  // The changed sites' income items, settled once the touched income is worked out.
  const incomeItems: number[] = [];
  for (const [siteId, changes] of changesBySite) {
    const sitePosition = baseline.sitePositions.get(siteId)!;
    const emit: Emit = (category, sourceType, sourceId, description, pence) => {
      const actionIndex = lastChange(changes, sourceId);
      const position = findAt(sitePosition, category, sourceId);
      if (position >= 0) settle(position, actionIndex, pence);
      else add(category, sourceType, sourceId, description, actionIndex, pence);
    };
    const site = scenarioSites[sitePosition]!;
    eachSiteItem(site, emit);
    if (site.status === 'open') for (const post of postsBySite.get(siteId) ?? []) postItem(post, emit);
    // What the site no longer has: its own items once closed, its posts' once cut.
    for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) {
      const position = siteItems[slot]!;
      if (settled[position] === 1) continue;
      if (baselineItems[position]!.category === 'income') incomeItems.push(position);
      else settle(position, lastChange(changes, baselineItems[position]!.sourceId), 0);
    }
  }
  for (const { id, siteId } of touchedIncome.baselineStreams) {
    if (siteId === null) incomeItems.push(...(unchanged.unsited.get(id) ?? []));
  }
  for (const stream of touchedIncome.scenario) {
    eachIncomeItem(stream, sitesById, years, (category, sourceType, sourceId, description, pence) => {
      const actionIndex = incomeChangedBy.get(sourceId) ?? null;
      const before = baseline.incomeStreams.get(sourceId);
      const position = !before
        ? -1
        : before.siteId === null
          ? (unchanged.unsited.get(sourceId)?.[0] ?? -1)
          : findAt(baseline.sitePositions.get(before.siteId)!, category, sourceId);
      if (position >= 0) settle(position, actionIndex, pence);
      else add(category, sourceType, sourceId, description, actionIndex, pence);
    });
  }
  for (const position of incomeItems) {
    if (settled[position] === 0) settle(position, incomeChangedBy.get(baselineItems[position]!.sourceId) ?? null, 0);
  }
  if (centralChangedBy.size > 0) {
    const scenarioCentral = new Map(centralCosts.map((line) => [line.id, line]));
    for (const [id, actionIndex] of centralChangedBy) {
      const position = (unchanged.unsited.get(id) ?? []).find((candidate) => baselineItems[candidate]!.category === 'central') ?? -1;
      const line = scenarioCentral.get(id);
      if (position >= 0) settle(position, actionIndex, line ? centralLinePence(line) : 0);
      else if (line)
        centralItem(line, (category, sourceType, sourceId, description, pence) => add(category, sourceType, sourceId, description, actionIndex, pence));
    }
  }
  for (const item of added) items.push(item);
  for (const item of oneOff) items.push(item);
  return items;
}
