import t from 'tap';
import { client, createCouncil } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

t.test('scenarios: store, evaluate, and refuse action lists that cannot apply', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const otherId = await createCouncil(api, 'Elsewhere');
  const base = `/councils/${councilId}`;
  const site = async (body: Record<string, unknown>) => (await api.post(`${base}/sites`, { lat: 53.44, lon: -2.93, ...body })).body;
  const hub = await site({ name: 'Hub', role: 'hub', annualPremisesCostPence: 1_000_000, services: ['antenatal'] });
  const spoke = await site({ name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.45 });
  const centre = await site({
    name: 'Centre',
    role: 'standalone',
    lat: 53.5,
    annualPremisesCostPence: 400_000,
    annualRunningCostPence: 100_000,
    services: ['antenatal'],
  });
  const closedHub = await site({ name: 'Closed hub', role: 'hub', status: 'closed' });
  const foreign = (await api.post(`/councils/${otherId}/sites`, { name: 'Foreign', role: 'standalone', lat: 53.4, lon: -2.9 })).body;
  await api.post(`${base}/posts`, { siteId: centre.id, title: 'Centre manager', kind: 'management', fte: 1, annualCostPerFtePence: 4_800_000 });
  await api.post(`${base}/areas`, { code: 'E01000001', name: 'Near centre', lat: 53.5, lon: -2.93, under5Population: 120, deprivationDecile: 1 });
  await api.post(`${base}/areas`, { code: 'E01000002', name: 'Near hub', lat: 53.44, lon: -2.93, under5Population: 80, deprivationDecile: 5 });

  const created = await api.post(`${base}/scenarios`, {
    name: 'Close the centre',
    parameters: { startDate: '2027-04-01', redundancyMonths: 6 },
    actions: [{ type: 'close_site', siteId: centre.id, oneOffCostPence: 50_000 }],
  });
  t.equal(created.status, 201);
  t.equal(created.body.description, '');
  t.equal(created.headers.location, `${base}/scenarios/${created.body.id}`);

  const evaluation = await api.get(`${base}/scenarios/${created.body.id}/evaluation`);
  t.equal(evaluation.status, 200);
  const { savings } = evaluation.body;
  // Closing the centre saves its premises, running and the manager: 400,000 + 100,000 + 4,800,000.
  t.equal(savings.annualSavingPence, 5_300_000);
  // Redundancy: 6/12 × 4,800,000 = 2,400,000; plus the closure cost 50,000.
  t.equal(savings.oneOff.redundancyPence, 2_400_000);
  t.equal(savings.oneOff.totalPence, 2_450_000);
  t.same(
    evaluation.body.postsRemoved.map((p: { title: string }) => p.title),
    ['Centre manager'],
  );
  t.equal(evaluation.body.baseline.reach.reachedUnder5s, 200);
  t.equal(evaluation.body.scenario.reach.reachedUnder5s, 80, 'the area by the centre is no longer within a mile of a site');
  t.same(
    evaluation.body.areasLosingCoverage.map((a: { code: string }) => a.code),
    ['E01000001'],
  );
  t.ok(
    evaluation.body.warnings.some((w: { code: string }) => w.code === 'consultation_required'),
    'a closure needs consultation',
  );
  t.ok(
    evaluation.body.warnings.some((w: { code: string }) => w.code === 'service_lost'),
    'antenatal is lost near the centre',
  );
  t.equal(evaluation.body.parameters.radiusM, 1609, 'defaults are echoed');

  const csv = await api.get(`${base}/scenarios/${created.body.id}/evaluation.csv`);
  t.equal(csv.status, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  const csvLines = String(csv.body).trimEnd().split('\r\n');
  t.ok(csvLines.includes('one_off,one_off_total,,,,,,,,,,,,2450000,24500.00,,'), 'the one-off total as a row, in pence and pounds');
  t.ok(
    csvLines.some((line) => line.startsWith('line_item,staff,Centre manager,post,')),
    'each line item traced to its post',
  );

  // A change to the network is seen at once: the cached evaluation is keyed by the reading of the network.
  await api.patch(`${base}/sites/${centre.id}`, { annualRunningCostPence: 200_000 });
  const again = await api.get(`${base}/scenarios/${created.body.id}/evaluation`);
  t.equal(again.body.savings.annualSavingPence, 5_400_000);

  const network = await api.get(`${base}/network/evaluation`);
  t.equal(network.status, 200);
  t.equal(network.body.figures.reach.reachedUnder5s, 200);
  t.equal(network.body.figures.money.staffPence, 4_800_000);

  const refused = async (actions: unknown[], status: number, path: string, reason?: RegExp) => {
    const res = await api.post(`${base}/scenarios`, { name: 'Bad', actions });
    t.equal(res.status, status, `${JSON.stringify(actions).slice(0, 80)} → ${status}`);
    t.match(res.headers['content-type'], /problem\+json/);
    t.ok(
      res.body.errors?.some((e: { path: string }) => e.path === path),
      `names ${path}: ${JSON.stringify(res.body.errors)}`,
    );
    if (reason) t.match(res.body.detail, reason);
  };
  await refused([{ type: 'close_site', siteId: hub.id }], 422, '/actions/0', /spoke/);
  await refused(
    [
      { type: 'make_standalone', siteId: spoke.id },
      { type: 'close_site', siteId: hub.id },
      { type: 'close_site', siteId: crypto.randomUUID() },
    ],
    422,
    '/actions/2',
  );
  await refused([{ type: 'close_site', siteId: foreign.id }], 422, '/actions/0');
  await refused([{ type: 'make_spoke', siteId: centre.id, hubId: closedHub.id }], 422, '/actions/0');
  await refused([{ type: 'make_spoke', siteId: centre.id, hubId: centre.id }], 422, '/actions/0');
  await refused([{ type: 'remove_income', incomeStreamId: crypto.randomUUID() }], 422, '/actions/0');
  await refused(
    [{ type: 'close_site', siteId: centre.id, redeploy: [{ kind: 'management', fte: 1, toSiteId: closedHub.id }] }],
    422,
    '/actions/0',
    /action 0: cannot redeploy posts to "Closed hub".*closed/,
  );
  await refused(
    [
      { type: 'make_standalone', siteId: spoke.id },
      { type: 'close_site', siteId: centre.id, redeploy: [{ kind: 'management', fte: 1.5, toSiteId: hub.id }] },
    ],
    422,
    '/actions/1',
    /action 1: cannot redeploy 1.5 FTE of management from "Centre".*it has 1 FTE/,
  );
  await refused(
    [{ type: 'transfer_site', siteId: closedHub.id, provider: 'A school', annualPaymentPence: 100 }],
    422,
    '/actions/0',
    /action 0: cannot transfer "Closed hub".*closed/,
  );
  await refused([{ type: 'demolish', siteId: hub.id }], 400, '/actions/0/type');
  await refused([{ type: 'close_site' }], 400, '/actions/0/siteId');
  await refused([{ type: 'change_posts', siteId: hub.id, kind: 'frontline', fteDelta: 'lots' }], 400, '/actions/0/fteDelta');
  await refused(
    Array.from({ length: 501 }, () => ({ type: 'reopen_site', siteId: hub.id })),
    422,
    '/actions',
  );
  const bad = await api.post(`${base}/scenarios`, { name: 'Bad', parameters: { radiusM: -1, horizonYears: 100 } });
  t.equal(bad.status, 400);
  t.same(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['/parameters/horizonYears', '/parameters/radiusM']);
  t.equal((await api.get(`${base}/scenarios`)).body.items.length, 1, 'nothing refused was stored');

  const patched = await api.patch(`${base}/scenarios/${created.body.id}`, { actions: [{ type: 'close_site', siteId: hub.id }] });
  t.equal(patched.status, 422);
  t.equal((await api.get(`${base}/scenarios/${created.body.id}`)).body.version, 1, 'a refused patch writes nothing');

  // A scenario that stops applying after the network changes evaluates to a 422, not a 500.
  const reopen = (await api.post(`${base}/scenarios`, { name: 'Reopen', actions: [{ type: 'reopen_site', siteId: closedHub.id }] })).body;
  await api.patch(`${base}/sites/${closedHub.id}`, { status: 'open' });
  const stale = await api.get(`${base}/scenarios/${reopen.id}/evaluation`);
  t.equal(stale.status, 422);
  t.same(
    stale.body.errors.map((e: { path: string }) => e.path),
    ['/actions/0'],
  );
  t.equal((await api.get(`${base}/scenarios/${crypto.randomUUID()}/evaluation`)).status, 404);
  t.equal((await api.get(`/councils/${otherId}/scenarios/${created.body.id}/evaluation`)).status, 404, "another council's scenario");
});
