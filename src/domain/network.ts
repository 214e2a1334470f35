// The network as it stands: counts, annual cost and income, staff, clusters, areas.
// The evaluation reuses these pieces for its baseline and scenario figures.
import type { Cluster, NetworkSummary, SiteCounts, StaffFigures } from '../schemas/network-summary.js';
import { groupBy } from './collections.js';
import { haversineM } from './geo.js';
import { fteScale, fteUnits, staffCostPence } from './money.js';
import { postKinds, type Area, type IncomeStream, type Network, type Post, type Site } from './types.js';

export type { Cluster, NetworkSummary, SiteCounts, StaffFigures };

export type SitesById = ReadonlyMap<string, Site>;

export function sitesById(sites: readonly Site[]): SitesById {
  return new Map(sites.map((site) => [site.id, site]));
}

/** A closed site has no posts (planning-model.md): posts there count for nothing. */
export function postsAtOpenSites(posts: readonly Post[], sites: SitesById): Post[] {
  return posts.filter((post) => sites.get(post.siteId)?.status === 'open');
}

/** Income that needs its site open counts only while that site is open. */
export function incomeCounts(stream: IncomeStream, sites: SitesById): boolean {
  if (!stream.requiresSiteOpen || stream.siteId === null) return true;
  return sites.get(stream.siteId)?.status === 'open';
}

export function siteCounts(sites: readonly Site[]): SiteCounts {
  const byRole = { hub: 0, spoke: 0, standalone: 0 };
  const openByRole = { hub: 0, spoke: 0, standalone: 0 };
  const byStatus = { open: 0, closed: 0 };
  for (const site of sites) {
    byRole[site.role]++;
    byStatus[site.status]++;
    if (site.status === 'open') openByRole[site.role]++;
  }
  return { total: sites.length, byRole, byStatus, openByRole };
}

/** FTE and post counts by kind; `posts` should be those at open sites. */
export function staffFigures(posts: readonly Post[]): StaffFigures {
  const units = { management: 0, frontline: 0, admin: 0 };
  const postsByKind = { management: 0, frontline: 0, admin: 0 };
  for (const post of posts) {
    units[post.kind] += fteUnits(post.fte);
    postsByKind[post.kind]++;
  }
  const totalUnits = postKinds.reduce((sum, kind) => sum + units[kind], 0);
  return {
    fteByKind: { management: units.management / fteScale, frontline: units.frontline / fteScale, admin: units.admin / fteScale },
    postsByKind,
    totalFte: totalUnits / fteScale,
    totalPosts: posts.length,
  };
}

/** Cost a year: staff of `openPosts` (rounded once), premises and running of the open sites (whole pence already). */
export function annualCosts(sites: readonly Site[], openPosts: readonly Post[]): NetworkSummary['annualCost'] {
  let premisesPence = 0;
  let runningPence = 0;
  for (const site of sites) {
    if (site.status !== 'open') continue;
    premisesPence += site.annualPremisesCostPence;
    runningPence += site.annualRunningCostPence;
  }
  const staffPence = staffCostPence(openPosts);
  return { staffPence, premisesPence, runningPence, grossCostPence: staffPence + premisesPence + runningPence };
}

/** Each hub (open or closed) with the sites whose hubId names it, in network order. */
export function clusters(sites: readonly Site[]): Cluster[] {
  const spokesByHub = groupBy(
    sites.filter((site) => site.role === 'spoke'),
    (site) => site.hubId,
  );
  return sites
    .filter((site) => site.role === 'hub')
    .map((hub) => {
      const spokes = spokesByHub.get(hub.id) ?? [];
      return {
        hubId: hub.id,
        hubName: hub.name,
        hubStatus: hub.status,
        openSpokes: spokes.filter((spoke) => spoke.status === 'open').length,
        spokes: spokes.map((spoke) => ({
          siteId: spoke.id,
          siteName: spoke.name,
          status: spoke.status,
          distanceM: Math.round(haversineM(hub, spoke)),
        })),
      };
    });
}

function areaTotals(areas: readonly Area[]): NetworkSummary['areas'] {
  const byDeprivationDecile = Array.from({ length: 10 }, (_, index) => ({ decile: index + 1, areas: 0, under5s: 0 }));
  let under5s = 0;
  for (const area of areas) {
    under5s += area.under5Population;
    const decile = byDeprivationDecile[area.deprivationDecile - 1];
    if (!decile) continue;
    decile.areas++;
    decile.under5s += area.under5Population;
  }
  return { count: areas.length, under5s, byDeprivationDecile };
}

/**
 * The network as it stands. `asOf` (YYYY-MM-DD) picks the income streams active that day; without
 * it every stream counts.
 */
export function summariseNetwork(network: Network, asOf?: string): NetworkSummary {
  const sites = sitesById(network.sites);
  const openPosts = postsAtOpenSites(network.posts, sites);
  const annualCost = annualCosts(network.sites, openPosts);
  const annualIncomePence = network.incomeStreams
    .filter((stream) => asOf === undefined || (stream.startDate <= asOf && (stream.endDate === null || asOf <= stream.endDate)))
    .filter((stream) => incomeCounts(stream, sites))
    .reduce((sum, stream) => sum + stream.annualValuePence, 0);
  return {
    asOf: asOf ?? null,
    sites: siteCounts(network.sites),
    annualCost,
    annualIncomePence,
    netCostPence: annualCost.grossCostPence - annualIncomePence,
    staff: staffFigures(openPosts),
    clusters: clusters(network.sites),
    areas: areaTotals(network.areas),
  };
}
