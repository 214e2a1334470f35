// Central costs through the API: CRUD with its rules, the network read and CSV, the CSV import, and a
// scenario that cuts them.
import t from 'tap';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';

t.test('central costs: create, rules, network read and CSV, import, scenario', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const hub = (await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93, annualRunningCostPence: 50_000 })).body;

  const head = await api.post(`${base}/central-costs`, {
    title: 'Head of early help',
    category: 'central_management',
    fte: 1.5,
    annualCostPerFtePence: 6_400_001,
  });
  t.equal(head.status, 201);
  t.match(head.body, { title: 'Head of early help', fte: 1.5, annualCostPerFtePence: 6_400_001, annualBudgetPence: null });
  const budget = await api.post(`${base}/central-costs`, { title: 'Commissioning budget', category: 'commissioning', annualBudgetPence: 13_300_000 });
  t.equal(budget.status, 201);

  const refused = async (body: unknown, path: string) => {
    const res = await api.post(`${base}/central-costs`, body);
    t.equal(res.status, 422, JSON.stringify(body));
    t.ok(
      res.body.errors?.some((e: { path: string }) => e.path === path),
      `names ${path}: ${JSON.stringify(res.body.errors)}`,
    );
  };
  await refused({ title: 'Both', category: 'other', fte: 1, annualCostPerFtePence: 1, annualBudgetPence: 1 }, '/annualBudgetPence');
  await refused({ title: 'Neither', category: 'other' }, '/annualBudgetPence');
  await refused({ title: 'No cost', category: 'other', fte: 1 }, '/annualCostPerFtePence');
  t.equal((await api.post(`${base}/central-costs`, { title: 'Bad', category: 'nope', annualBudgetPence: 1 })).status, 400);
  const patchedToBoth = await api.patch(`${base}/central-costs/${budget.body.id}`, { fte: 1 });
  t.equal(patchedToBoth.status, 422, 'a merge patch must leave a post or a budget line');

  const list = await api.get(`${base}/central-costs?category=commissioning`);
  t.same(
    list.body.items.map((line: { id: string }) => line.id),
    [budget.body.id],
  );

  // Central 1.5 × 6,400,001 + 13,300,000 = 22,900,001.5 → 22,900,002; gross 50,000 + 22,900,002.
  const network = await api.get(`${base}/network`);
  t.equal(network.body.centralCosts.length, 2);
  t.equal(network.body.summary.annualCost.centralPence, 22_900_002);
  t.equal(network.body.summary.annualCost.grossCostPence, 22_950_002);

  const csv = await api.get(`${base}/network.csv`);
  const lines = String(csv.body).trimEnd().split('\r\n');
  t.equal(lines.length, 4, 'a header, a row for the site, a row per central cost');
  const header = lines[0]!.replace(/^\uFEFF/, '').split(',');
  const headRow = lines.find((line) => line.includes(head.body.id))!.split(',');
  t.equal(headRow[header.indexOf('name')], 'Head of early help');
  t.equal(headRow[header.indexOf('category')], 'central_management');
  t.equal(headRow[header.indexOf('annualCentralPence')], '9600002');
  t.equal(headRow[header.indexOf('siteId')], '', 'a central cost belongs to no site');

  const upload = async (body: string) => {
    const res = await app.inject({
      method: 'POST',
      url: `${base}/imports/central-costs`,
      headers: { ...bearer(testAdminKey), 'content-type': 'text/csv' },
      payload: body,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const header1 = 'title,category,fte,annualCostPerFtePence,annualBudgetPence';
  const imported = await upload(`${header1}\nCommissioning budget,commissioning,,,12000000\nBusiness support,back_office,3,3100000,\n`);
  t.equal(imported.status, 200);
  t.match(imported.body, { created: 1, updated: 1 }, 'upserts by title');
  const bad = await upload(`${header1}\nBoth,other,1,100,100\n`);
  t.equal(bad.status, 422);
  t.match(bad.body.errors, [{ path: 'line 2, column annualBudgetPence' }]);

  // Cut the head of early help to 0.5 FTE: 1 FTE × 6,400,001 saved; redundancy 6 ÷ 12 of it, 3,200,000.5 → 3,200,001.
  const scenario = await api.post(`${base}/scenarios`, {
    name: 'Smaller centre',
    actions: [{ type: 'change_central_cost', centralCostId: head.body.id, fte: 0.5 }],
    parameters: { redundancyMonths: 6, vacantOrRedeployedShare: 0 },
  });
  t.equal(scenario.status, 201, JSON.stringify(scenario.body));
  const evaluation = await api.get(`${base}/scenarios/${scenario.body.id}/evaluation`);
  t.equal(evaluation.body.savings.fullYearSavingPence, 6_400_001);
  t.equal(evaluation.body.savings.oneOff.redundancyPence, 3_200_001);
  t.same(evaluation.body.jobs.postsDeleted, { posts: 1, fte: 1, redundancyPence: 3_200_001 });

  const wrong = await api.post(`${base}/scenarios`, {
    name: 'Wrong',
    actions: [
      { type: 'make_hub', siteId: hub.id },
      { type: 'change_central_cost', centralCostId: budget.body.id, fte: 1 },
    ],
  });
  t.equal(wrong.status, 422);
  t.ok(
    wrong.body.errors?.some((e: { path: string }) => e.path === '/actions/1'),
    'names the action',
  );

  t.equal((await api.delete(`${base}/central-costs/${head.body.id}`)).status, 204);
  t.equal((await api.get(`${base}/network`)).body.centralCosts.length, 2, 'the budget and the imported post remain');
});
