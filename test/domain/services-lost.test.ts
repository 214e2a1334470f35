import t from 'tap';
import type { Network, Site } from '../../src/domain/types.js';
import { evaluated } from '../helpers/planning-fixtures.js';

const site = (id: string, lat: number, services: Site['services']): Site => ({
  id,
  name: id,
  role: 'standalone',
  hubId: null,
  status: 'open',
  lat,
  lon: -2.93,
  openingHoursPerWeek: 40,
  services,
  annualPremisesCostPence: 0,
  annualRunningCostPence: 0,
});

t.test('an area near two closures, the first offering nothing, is listed once', async (t) => {
  // Both closing sites are within a mile of the area; only the second offers antenatal. A third site, far
  // away, stays open so that the network still has somewhere to go.
  const network: Network = {
    sites: [site('a-bare', 53.44, []), site('b-antenatal', 53.441, ['antenatal']), site('c-far', 53.6, ['antenatal'])],
    posts: [],
    incomeStreams: [],
    areas: [{ id: 'area', code: 'E01000001', name: 'Between', lat: 53.4405, lon: -2.93, under5Population: 100, deprivationDecile: 1, idaciDecile: null }],
  };
  const evaluation = evaluated(
    [
      { type: 'close_site', siteId: 'a-bare' },
      { type: 'close_site', siteId: 'b-antenatal' },
    ],
    { startDate: '2027-04-01' },
    network,
  );
  const lost = evaluation.warnings.filter((w) => w.code === 'service_lost');
  t.equal(lost.length, 1);
  const evidence = lost[0]!.evidence as { areas: { code: string }[]; under5s: number };
  t.same(
    evidence.areas.map((a) => a.code),
    ['E01000001'],
    'the area once',
  );
  t.equal(evidence.under5s, 100, 'its under-5s counted once');
});
