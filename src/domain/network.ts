// The network as it stands: counts, annual cost and income, staff, clusters, areas.
// The evaluation reuses these pieces for its baseline and scenario figures.
import type { Cluster, NetworkSummary, SiteCounts, StaffFigures } from '../schemas/network-summary.js';
import { appendTo, groupBy, type Lookup } from './collections.js';
import { haversineM } from './geo.js';
import { runFromHub } from './network-rules.js';
import { ExactTotal, fteScale, fteUnits } from './money.js';
import { centralPence } from './central-costs.js';
import { postKinds, type Area, type CentralCost, type IncomeStream, type Network, type Post, type Site } from './types.js';

export type { Cluster, NetworkSummary, SiteCounts, StaffFigures };

export type SitesById = Lookup<string, Site>;

export function sitesById(sites: readonly Site[]): ReadonlyMap<string, Site> {
  return new Map(sites.map((site) => [site.id, site]));
}

/** Income that needs its site open counts only while that site is open. */
export function incomeCounts(stream: IncomeStream, sites: SitesById): boolean {
  if (!stream.requiresSiteOpen || stream.siteId === null) return true;
  return sites.get(stream.siteId)?.status === 'open';
}

const byPostKind = () => ({ management: 0, frontline: 0, admin: 0 });
const byRole = () => ({ hub: 0, spoke: 0, standalone: 0, venue: 0 });

/**
 * The sums that a network's cost, staff and site figures come from, site by site (a closed site's
 * posts count for nothing: planning-model.md). A scenario's are the baseline's with each changed site
 * taken out as it was and put back as it is. Integers only, summed exactly: the order does not matter.
 */
export class SiteTotals {
  private readonly staffCost = new ExactTotal();
  private readonly premises = new ExactTotal();
  private readonly running = new ExactTotal();
  private readonly fteUnits = byPostKind();
  private readonly posts = byPostKind();
  private readonly byRole = byRole();
  private readonly openByRole = byRole();
  private readonly byStatus = { open: 0, closed: 0 };
  private siteCount = 0;

  static of(sites: readonly Site[], postsBySite: Lookup<string, readonly Post[]>): SiteTotals {
    const totals = new SiteTotals();
    for (const site of sites) totals.add(site, postsBySite.get(site.id) ?? [], 1);
    return totals;
  }

  /** Adds a site and its posts (sign 1), or takes them away (sign −1). */
  add(site: Site, posts: readonly Post[], sign: 1 | -1): this {
    this.siteCount += sign;
    this.byRole[site.role] += sign;
    this.byStatus[site.status] += sign;
    if (site.status !== 'open') return this;
    this.openByRole[site.role] += sign;
    this.premises.add(sign * site.annualPremisesCostPence);
    this.running.add(sign * site.annualRunningCostPence);
    for (const post of posts) {
      const units = fteUnits(post.fte);
      this.staffCost.addProduct(sign * units, post.annualCostPerFtePence);
      this.fteUnits[post.kind] += sign * units;
      this.posts[post.kind] += sign;
    }
    return this;
  }

  copy(): SiteTotals {
    const copy = new SiteTotals();
    copy.staffCost.addTotal(this.staffCost);
    copy.premises.addTotal(this.premises);
    copy.running.addTotal(this.running);
    Object.assign(copy.fteUnits, this.fteUnits);
    Object.assign(copy.posts, this.posts);
    Object.assign(copy.byRole, this.byRole);
    Object.assign(copy.openByRole, this.openByRole);
    Object.assign(copy.byStatus, this.byStatus);
    copy.siteCount = this.siteCount;
    return copy;
  }

  /** Cost a year: staff rounded once, premises and running of the open sites (whole pence already), and the central costs given. */
  annualCost(centralCosts: readonly CentralCost[]): NetworkSummary['annualCost'] {
    const staffPence = this.staffCost.dividedBy(fteScale);
    const premisesPence = Number(this.premises.value());
    const runningPence = Number(this.running.value());
    const central = centralPence(centralCosts);
    return { staffPence, premisesPence, runningPence, centralPence: central, grossCostPence: staffPence + premisesPence + runningPence + central };
  }

  /** Cost a year before rounding: staff in pence × fteScale, premises and running in pence. */
  exactCost(): { staff: bigint; premises: bigint; running: bigint } {
    return { staff: this.staffCost.value(), premises: this.premises.value(), running: this.running.value() };
  }

  /** FTE and post counts by kind, at open sites. */
  staff(): StaffFigures {
    const { fteUnits: units, posts } = this;
    const totalUnits = postKinds.reduce((sum, kind) => sum + units[kind], 0);
    return {
      fteByKind: { management: units.management / fteScale, frontline: units.frontline / fteScale, admin: units.admin / fteScale },
      postsByKind: { ...posts },
      totalFte: totalUnits / fteScale,
      totalPosts: postKinds.reduce((sum, kind) => sum + posts[kind], 0),
    };
  }

  sites(): SiteCounts {
    return { total: this.siteCount, byRole: { ...this.byRole }, byStatus: { ...this.byStatus }, openByRole: { ...this.openByRole } };
  }
}

/** A network's clusters, with where its hubs and each hub's spokes are in the list of sites. */
export interface ClusterIndex {
  clusters: Cluster[];
  /** Positions of the hubs, in network order: one a cluster. */
  hubPositions: readonly number[];
  /** Positions of the spokes, by the hub id they name, in network order. */
  spokePositions: ReadonlyMap<string | null, readonly number[]>;
}

function cluster(sites: readonly Site[], hubPosition: number, spokePositions: readonly number[]): Cluster {
  const hub = sites[hubPosition]!;
  const spokes = spokePositions.map((position) => sites[position]!);
  return {
    hubId: hub.id,
    hubName: hub.name,
    hubStatus: hub.status,
    openSpokes: spokes.filter((spoke) => spoke.status === 'open').length,
    spokes: spokes.map((spoke) => ({
      siteId: spoke.id,
      siteName: spoke.name,
      role: spoke.role as 'spoke' | 'venue',
      status: spoke.status,
      distanceM: Math.round(haversineM(hub, spoke)),
    })),
  };
}

/** Each hub (open or closed) with the sites whose hubId names it, in network order. */
export function clusters(sites: readonly Site[]): ClusterIndex {
  const hubPositions: number[] = [];
  const spokePositions = new Map<string | null, number[]>();
  sites.forEach((site, position) => {
    if (site.role === 'hub') hubPositions.push(position);
    else if (runFromHub(site.role)) appendTo(spokePositions, site.hubId, position);
  });
  return {
    clusters: hubPositions.map((position) => cluster(sites, position, spokePositions.get(sites[position]!.id) ?? [])),
    hubPositions,
    spokePositions,
  };
}

/** The positions in both sorted lists, once each, in order (a merge). */
function sortedUnion(a: readonly number[], b: readonly number[]): number[] {
  const union: number[] = [];
  let fromA = 0;
  let fromB = 0;
  while (fromA < a.length || fromB < b.length) {
    const next = fromB === b.length || (fromA < a.length && a[fromA]! <= b[fromB]!) ? a[fromA++]! : b[fromB++]!;
    if (union.length === 0 || union[union.length - 1] !== next) union.push(next);
  }
  return union;
}

/**
 * A scenario's clusters: the baseline's own cluster objects, but for the hubs that a changed site (by
 * position, in order) is or was, or is or was a spoke of: those are worked out again.
 */
export function scenarioClusters(
  baseline: ClusterIndex,
  baselineSites: readonly Site[],
  scenarioSites: readonly Site[],
  changedPositions: readonly number[],
): Cluster[] {
  const changedHubs = new Set<string>();
  const hubsNow: number[] = [];
  // The changed sites that were or are spokes, by the hub id they name.
  const changedSpokes = new Map<string | null, number[]>();
  for (const position of changedPositions) {
    const before = baselineSites[position]!;
    const after = scenarioSites[position]!;
    if (before.role === 'hub') changedHubs.add(before.id);
    if (after.role === 'hub') {
      changedHubs.add(after.id);
      hubsNow.push(position);
    }
    if (runFromHub(before.role)) appendTo(changedSpokes, before.hubId, position);
    if (runFromHub(after.role) && (!runFromHub(before.role) || before.hubId !== after.hubId)) appendTo(changedSpokes, after.hubId, position);
  }
  const result: Cluster[] = [];
  // The baseline's hubs are in order too: the next one's cluster is at `baselineIndex`.
  let baselineIndex = 0;
  for (const position of sortedUnion(baseline.hubPositions, hubsNow)) {
    while (baseline.hubPositions[baselineIndex]! < position) baselineIndex++;
    const hub = scenarioSites[position]!;
    if (hub.role !== 'hub') continue;
    const spokesChanged = changedSpokes.get(hub.id);
    if (!changedHubs.has(hub.id) && !spokesChanged) {
      // Not changed, so a hub in the baseline too.
      result.push(baseline.clusters[baselineIndex]!);
      continue;
    }
    const spokes = sortedUnion(baseline.spokePositions.get(hub.id) ?? [], spokesChanged ?? []).filter((spoke) => {
      const site = scenarioSites[spoke]!;
      return runFromHub(site.role) && site.hubId === hub.id;
    });
    result.push(cluster(scenarioSites, position, spokes));
  }
  return result;
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
  const totals = SiteTotals.of(
    network.sites,
    groupBy(network.posts, (post) => post.siteId),
  );
  const annualCost = totals.annualCost(network.centralCosts ?? []);
  const annualIncomePence = network.incomeStreams
    .filter((stream) => asOf === undefined || (stream.startDate <= asOf && (stream.endDate === null || asOf <= stream.endDate)))
    .filter((stream) => incomeCounts(stream, sites))
    .reduce((sum, stream) => sum + stream.annualValuePence, 0);
  return {
    asOf: asOf ?? null,
    sites: totals.sites(),
    annualCost,
    annualIncomePence,
    netCostPence: annualCost.grossCostPence - annualIncomePence,
    staff: totals.staff(),
    clusters: clusters(network.sites).clusters,
    areas: areaTotals(network.areas),
  };
}
