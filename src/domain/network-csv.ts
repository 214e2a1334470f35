// The network as a spreadsheet: one row per site, with its hub, staff and income beside its costs
// (pence, with pounds beside them).
import { toCsv } from './csv.js';
import { haversineM } from './geo.js';
import { fteScale, fteUnits, staffCostPence } from './money.js';
import { sitesById } from './network.js';
import type { Network, Post } from './types.js';

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
] as const;

/** `asOf` (YYYY-MM-DD) picks the income streams active that day, as in the network summary. */
export function networkToCsv(network: Network, asOf: string): string {
  const byId = sitesById(network.sites);
  const postsBySite = new Map<string, Post[]>();
  for (const post of network.posts) postsBySite.set(post.siteId, [...(postsBySite.get(post.siteId) ?? []), post]);
  const incomeBySite = new Map<string, number>();
  for (const stream of network.incomeStreams) {
    const active = stream.startDate <= asOf && (stream.endDate === null || asOf <= stream.endDate);
    if (active && stream.siteId) incomeBySite.set(stream.siteId, (incomeBySite.get(stream.siteId) ?? 0) + stream.annualValuePence);
  }
  const rows = network.sites.map((site) => {
    const hub = site.hubId ? byId.get(site.hubId) : undefined;
    const posts = postsBySite.get(site.id) ?? [];
    const fteTotal = posts.reduce((sum, post) => sum + fteUnits(post.fte), 0) / fteScale;
    return [
      site.id,
      site.name,
      site.role,
      site.status,
      site.hubId,
      hub?.name,
      hub ? Math.round(haversineM(site, hub)) : null,
      site.lat,
      site.lon,
      site.openingHoursPerWeek,
      site.services.join(';'),
      fteTotal,
      posts.length,
      staffCostPence(posts),
      site.annualPremisesCostPence,
      site.annualRunningCostPence,
      incomeBySite.get(site.id) ?? 0,
    ];
  });
  return toCsv(header, rows, { poundsBesidePence: true });
}
