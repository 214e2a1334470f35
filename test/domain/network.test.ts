// The network summary of the three-site network (figures worked in test/helpers/planning-fixtures.ts).
import t from 'tap';
import { summariseNetwork } from '../../src/domain/network.js';
import { networkSummarySchema } from '../../src/schemas/network-summary.js';
import { ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

t.test('summary as of a date', async (t) => {
  const summary = summariseNetwork(threeSiteNetwork(), '2026-10-01');
  t.same(summary.sites, {
    total: 3,
    byRole: { hub: 1, spoke: 1, standalone: 1, venue: 0 },
    byStatus: { open: 3, closed: 0 },
    openByRole: { hub: 1, spoke: 1, standalone: 1, venue: 0 },
  });
  t.same(summary.annualCost, { staffPence: 30_200_001, premisesPence: 10_000_000, runningPence: 17_000_000, centralPence: 0, grossCostPence: 57_200_001 });
  // On 2026-10-01 the grant (ended 2026-09-30) no longer counts: 2,000,000 + 500,000.
  t.equal(summary.annualIncomePence, 2_500_000);
  t.equal(summary.netCostPence, 54_700_001);
  t.same(summary.staff, {
    fteByKind: { management: 1.8, frontline: 5, admin: 1 },
    postsByKind: { management: 2, frontline: 3, admin: 3 },
    totalFte: 7.8,
    totalPosts: 8,
  });
  t.same(summary.clusters, [
    {
      hubId: ids.hub,
      hubName: 'Hub H',
      hubStatus: 'open',
      openSpokes: 1,
      spokes: [{ siteId: ids.spoke, siteName: 'Spoke S', role: 'spoke', status: 'open', distanceM: 1112 }],
    },
  ]);
  t.same(summary.areas.count, 5);
  t.same(summary.areas.under5s, 650);
  t.same(
    summary.areas.byDeprivationDecile.filter((decile) => decile.areas > 0),
    [
      { decile: 1, areas: 1, under5s: 100 },
      { decile: 2, areas: 1, under5s: 200 },
      { decile: 3, areas: 1, under5s: 80 },
      { decile: 5, areas: 1, under5s: 150 },
      { decile: 9, areas: 1, under5s: 120 },
    ],
  );
  t.equal(summary.areas.byDeprivationDecile.length, 10);
  t.ok(networkSummarySchema.safeParse(summary).success);
});

t.test('without a date every stream counts; a closed site costs nothing and its posts and bound income do not count', async (t) => {
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, status: 'closed' };
  const summary = summariseNetwork(network);
  t.equal(summary.asOf, null);
  // A's posts (4,400,000 + 5,100,000 + 450,090.1667) and costs (3,000,000 + 4,000,000) go;
  // staff 30,200,000.5 − 9,950,090.1667 = 20,249,910.33 → 20,249,910.
  t.same(summary.annualCost, { staffPence: 20_249_910, premisesPence: 7_000_000, runningPence: 13_000_000, centralPence: 0, grossCostPence: 40_249_910 });
  t.equal(summary.annualIncomePence, 3_000_000, 'NHS 2,000,000 + grant 1,000,000; the lettings need A open');
  t.same(summary.sites.byStatus, { open: 2, closed: 1 });
  t.equal(summary.staff.totalPosts, 5);
});

t.test('an empty network', async (t) => {
  const summary = summariseNetwork({ sites: [], posts: [], incomeStreams: [], areas: [] });
  t.equal(summary.netCostPence, 0);
  t.same(summary.clusters, []);
  t.equal(summary.staff.totalFte, 0);
  t.ok(networkSummarySchema.safeParse(summary).success);
});
