// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
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

/**
 * Baseline and scenario items side by side, matched by category and source; `actionIndex` is the last
 * action that changed the source (null when none did). Sources that no action touched, at sites no
 * action touched, have the same amount in both: only the touched ones are worked out again.
 */
export function scenarioLineItems(
  baseline: Network,
  scenario: Network,
  baselineSites: SitesById,
  scenarioSites: SitesById,
  years: readonly PlanYear[],
  lastChangedBy: ReadonlyMap<string, number>,
): ScenarioLineItem[] {
  const touched = new Set(lastChangedBy.keys());
  for (const post of scenario.posts) if (touched.has(post.siteId)) touched.add(post.id);
  for (const stream of scenario.incomeStreams) if (stream.siteId !== null && touched.has(stream.siteId)) touched.add(stream.id);
  const touchedScenario: Network = {
    sites: scenario.sites.filter((site) => touched.has(site.id)),
    posts: scenario.posts.filter((post) => touched.has(post.id)),
    incomeStreams: scenario.incomeStreams.filter((stream) => touched.has(stream.id)),
    areas: [],
  };
  // Touched scenario items by category, then source id (no string keys to build).
  const unmatched = new Map<Source['category'], Map<string, NetworkLineItem>>();
  for (const item of recurringLineItems(touchedScenario, scenarioSites, years)) {
    const byId = unmatched.get(item.category);
    if (byId) byId.set(item.sourceId, item);
    else unmatched.set(item.category, new Map([[item.sourceId, item]]));
  }
  const items: ScenarioLineItem[] = [];
  eachRecurringItem(baseline, baselineSites, years, (category, sourceType, sourceId, description, baselinePence) => {
    // Every source an action changed is touched: the untouched ones (most) need no look-up.
    if (!touched.has(sourceId)) {
      items.push({ category, sourceType, sourceId, description, actionIndex: null, baselinePence, scenarioPence: baselinePence });
      return;
    }
    const match = unmatched.get(category)?.get(sourceId);
    if (match) unmatched.get(category)!.delete(sourceId);
    items.push({
      category,
      sourceType,
      sourceId,
      description: match?.description ?? description,
      actionIndex: lastChangedBy.get(sourceId) ?? null,
      baselinePence,
      scenarioPence: match?.pence ?? 0,
    });
  });
  for (const byId of unmatched.values()) {
    for (const { pence, ...item } of byId.values()) items.push({ ...item, actionIndex: lastChangedBy.get(item.sourceId) ?? null, baselinePence: 0, scenarioPence: pence });
  }
  return items;
}
