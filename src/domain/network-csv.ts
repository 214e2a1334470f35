// The network as a spreadsheet: one row per site, with its hub, staff and income beside its costs
// (pence, with pounds beside them), then one row per central cost (a post or budget line of no site).
import { centralLinePence } from './central-costs.js';
import { toCsv, type CsvValue } from './csv.js';
import { haversineM } from './geo.js';
import { fteScale, fteUnits, staffCostPence } from './money.js';
import { sitesById } from './network.js';
import type { Network, Post, Site } from './types.js';

const header = [
  'siteId',
  'name',
  'role',
  'status',
  'hubId',
  'hubName',
  'distanceToHubM',
  'lat',
  'lon',
  'openingHoursPerWeek',
  'services',
  'fte',
  'posts',
  'annualStaffPence',
  'annualPremisesPence',
  'annualRunningPence',
  'annualIncomePence',
  'centralCostId',
  'category',
  'annualCentralPence',
] as const;

/** One site with its hub, staff and income beside its costs: a row of the CSV and of the network page's table. */
export interface SiteFigures {
  site: Site;
  hub: Site | undefined;
  distanceToHubM: number | null;
  fte: number;
  posts: number;
  annualStaffPence: number;
  /** Annual values of the streams tied to the site that are active on `asOf`. */
  annualIncomePence: number;
}

/** `asOf` (YYYY-MM-DD) picks the income streams active that day, as in the network summary. */
export function siteFigures(network: Network, asOf: string): SiteFigures[] {
  const byId = sitesById(network.sites);
  const postsBySite = new Map<string, Post[]>();
  for (const post of network.posts) postsBySite.set(post.siteId, [...(postsBySite.get(post.siteId) ?? []), post]);
  const incomeBySite = new Map<string, number>();
  for (const stream of network.incomeStreams) {
    const active = stream.startDate <= asOf && (stream.endDate === null || asOf <= stream.endDate);
    if (active && stream.siteId) incomeBySite.set(stream.siteId, (incomeBySite.get(stream.siteId) ?? 0) + stream.annualValuePence);
  }
  return network.sites.map((site) => {
    const hub = site.hubId ? byId.get(site.hubId) : undefined;
    const posts = postsBySite.get(site.id) ?? [];
    return {
      site,
      hub,
      distanceToHubM: hub ? Math.round(haversineM(site, hub)) : null,
      fte: posts.reduce((sum, post) => sum + fteUnits(post.fte), 0) / fteScale,
      posts: posts.length,
      annualStaffPence: staffCostPence(posts),
      annualIncomePence: incomeBySite.get(site.id) ?? 0,
    };
  });
}

export function networkToCsv(network: Network, asOf: string): string {
  const rows = siteFigures(network, asOf).map(({ site, hub, distanceToHubM, fte, posts, annualStaffPence, annualIncomePence }) => [
    site.id,
    site.name,
    site.role,
    site.status,
    site.hubId,
    hub?.name,
    distanceToHubM,
    site.lat,
    site.lon,
    site.openingHoursPerWeek,
    site.services.join(';'),
    fte,
    posts,
    annualStaffPence,
    site.annualPremisesCostPence,
    site.annualRunningCostPence,
    annualIncomePence,
    undefined,
    undefined,
    undefined,
  ]);
  const central = (network.centralCosts ?? []).map((line) => {
    const row: CsvValue[] = header.map(() => undefined);
    row[header.indexOf('name')] = line.title;
    row[header.indexOf('fte')] = line.fte ?? 0;
    row[header.indexOf('posts')] = line.fte === null ? 0 : 1;
    row[header.indexOf('centralCostId')] = line.id;
    row[header.indexOf('category')] = line.category;
    row[header.indexOf('annualCentralPence')] = centralLinePence(line);
    return row;
  });
  return toCsv(header, [...rows, ...central], { poundsBesidePence: true });
}
