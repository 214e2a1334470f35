// Line items: every money figure traced to the site, post or income stream it came from.
// Year-1 figures, each rounded on its own; the totals elsewhere are rounded once from exact sums.
import type { NetworkLineItem, ScenarioLineItem } from '../schemas/scenario.js';
import type { PlanYear } from './dates.js';
import { streamIncomeInYear } from './finance.js';
import { fteScale, fteUnits, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { Network } from './types.js';

export type { NetworkLineItem, ScenarioLineItem };

/** Recurring year-1 items of a network: premises and running of open sites, staff of their posts, counted income. */
export function recurringLineItems(network: Network, sites: SitesById, year1: PlanYear): NetworkLineItem[] {
  const items: NetworkLineItem[] = [];
  const push = (category: NetworkLineItem['category'], sourceType: NetworkLineItem['sourceType'], sourceId: string, description: string, pence: number) => {
    if (pence !== 0) items.push({ category, sourceType, sourceId, description, actionIndex: null, pence });
  };
  for (const site of network.sites) {
    if (site.status !== 'open') continue;
    push('premises', 'site', site.id, site.name, site.annualPremisesCostPence);
    push('running', 'site', site.id, site.name, site.annualRunningCostPence);
  }
  for (const post of network.posts) {
    if (sites.get(post.siteId)?.status !== 'open') continue;
    push('staff', 'post', post.id, post.title, scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale));
  }
  for (const stream of network.incomeStreams) {
    if (incomeCounts(stream, sites)) push('income', 'income_stream', stream.id, stream.partner, streamIncomeInYear(stream, year1));
  }
  return items;
}

/**
 * Baseline and scenario items side by side, matched by category and source; `actionIndex` is the last
 * action that changed the source (null when none did).
 */
export function pairLineItems(
  baseline: readonly NetworkLineItem[],
  scenario: readonly NetworkLineItem[],
  lastChangedBy: ReadonlyMap<string, number>,
): ScenarioLineItem[] {
  // By category, then source id: no string keys to build for tens of thousands of items.
  const unmatched = new Map<NetworkLineItem['category'], Map<string, NetworkLineItem>>();
  for (const item of scenario) {
    const byId = unmatched.get(item.category);
    if (byId) byId.set(item.sourceId, item);
    else unmatched.set(item.category, new Map([[item.sourceId, item]]));
  }
  const paired = (item: NetworkLineItem, baselinePence: number, scenarioPence: number): ScenarioLineItem => ({
    category: item.category,
    sourceType: item.sourceType,
    sourceId: item.sourceId,
    description: item.description,
    actionIndex: lastChangedBy.get(item.sourceId) ?? null,
    baselinePence,
    scenarioPence,
  });
  const items = baseline.map((item) => {
    const byId = unmatched.get(item.category);
    const match = byId?.get(item.sourceId);
    if (match) byId!.delete(item.sourceId);
    return paired(match ?? item, item.pence, match?.pence ?? 0);
  });
  for (const byId of unmatched.values()) for (const item of byId.values()) items.push(paired(item, 0, item.pence));
  return items;
}
