import t from 'tap';
import type { Test } from 'tap';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp, testDatabase } from '../helpers/app.js';

// One database and one app for the file: each test works in a council of its own.
const app = await testApp(t, { database: await testDatabase(t) });

const at = { lat: 53.44, lon: -2.93 };

type Answer = { status: number; body: { errors?: { path: string }[] } };

/** Asserts a problem answer's status and, given one, that it names the field at `path`. */
function expectProblem(t: Test, res: Answer, status: number, path?: string) {
  t.equal(res.status, status);
  if (path)
    t.ok(
      res.body.errors?.some((e) => e.path === path),
      `names ${path}`,
    );
}

t.test('hub-and-spoke rules', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const otherCouncilId = await createCouncil(api, 'Elsewhere');
  const sites = `/councils/${councilId}/sites`;
  const hub = (await api.post(sites, { name: 'Hub', role: 'hub', ...at })).body;
  const standalone = (await api.post(sites, { name: 'Standalone', role: 'standalone', ...at })).body;
  const foreignHub = (await api.post(`/councils/${otherCouncilId}/sites`, { name: 'Foreign hub', role: 'hub', ...at })).body;

  expectProblem(t, await api.post(sites, { name: 'Spoke', role: 'spoke', ...at }), 422, '/hubId');
  expectProblem(t, await api.post(sites, { name: 'X', role: 'standalone', hubId: hub.id, ...at }), 422, '/hubId');
  expectProblem(t, await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: standalone.id, ...at }), 422, '/hubId');
  expectProblem(t, await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: foreignHub.id, ...at }), 422, '/hubId');
  expectProblem(t, await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: crypto.randomUUID(), ...at }), 422, '/hubId');

  const closedHub = (await api.post(sites, { name: 'Closed hub', role: 'hub', status: 'closed', ...at })).body;
  expectProblem(t, await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: closedHub.id, ...at }), 422, '/hubId');

  const spoke = await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: hub.id, ...at });
  t.equal(spoke.status, 201);
  t.equal((await api.get(`${sites}?hubId=${hub.id}`)).body.items.length, 1, 'list filters by hubId');
  t.equal((await api.get(`${sites}?role=hub&status=open`)).body.items.length, 1, 'list filters by role and status');

  expectProblem(t, await api.patch(`${sites}/${hub.id}`, { role: 'spoke', hubId: hub.id }), 422, '/hubId');
  expectProblem(t, await api.patch(`${sites}/${hub.id}`, { status: 'closed' }), 409);
  expectProblem(t, await api.patch(`${sites}/${hub.id}`, { role: 'standalone' }), 409);
  expectProblem(t, await api.delete(`${sites}/${hub.id}`), 409);
  t.equal((await api.get(`${sites}/${hub.id}`)).body.version, 1, 'refused changes write nothing');

  // Reassign the spoke, then the hub can go.
  t.equal((await api.patch(`${sites}/${spoke.body.id}`, { role: 'standalone', hubId: null })).status, 200);
  t.equal((await api.patch(`${sites}/${hub.id}`, { status: 'closed' })).status, 200);
  t.equal((await api.delete(`${sites}/${hub.id}`)).status, 204);
});

t.test('sites with posts or income cannot be deleted; closing is the way', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const site = (await api.post(`/councils/${councilId}/sites`, { name: 'Centre', role: 'standalone', ...at })).body;
  const post = await api.post(`/councils/${councilId}/posts`, {
    siteId: site.id,
    title: 'Manager',
    kind: 'management',
    fte: 1,
    annualCostPerFtePence: 5_000_000,
  });
  t.equal(post.status, 201);
  const del = await api.delete(`/councils/${councilId}/sites/${site.id}`);
  t.equal(del.status, 409);
  t.match(del.body.detail, /close it instead/);
  t.equal((await api.patch(`/councils/${councilId}/sites/${site.id}`, { status: 'closed' })).status, 200);
  await api.delete(`/councils/${councilId}/posts/${post.body.id}`);
  const income = await api.post(`/councils/${councilId}/income-streams`, {
    partner: 'NHS',
    kind: 'lettings',
    annualValuePence: 1,
    startDate: '2026-04-01',
    siteId: site.id,
  });
  t.equal(income.status, 201);
  t.equal((await api.delete(`/councils/${councilId}/sites/${site.id}`)).status, 409);
  await api.delete(`/councils/${councilId}/income-streams/${income.body.id}`);
  t.equal((await api.delete(`/councils/${councilId}/sites/${site.id}`)).status, 204);
});

t.test('posts and income streams name a site of the same council', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const otherId = await createCouncil(api, 'Elsewhere');
  const foreignSite = (await api.post(`/councils/${otherId}/sites`, { name: 'Foreign', role: 'standalone', ...at })).body;
  const post = await api.post(`/councils/${councilId}/posts`, { siteId: foreignSite.id, title: 'Worker', kind: 'frontline', fte: 1, annualCostPerFtePence: 1 });
  t.equal(post.status, 422);
  t.same(
    post.body.errors.map((e: { path: string }) => e.path),
    ['/siteId'],
  );
  const income = await api.post(`/councils/${councilId}/income-streams`, {
    partner: 'NHS',
    kind: 'grant',
    annualValuePence: 1,
    startDate: '2026-04-01',
    siteId: foreignSite.id,
  });
  t.equal(income.status, 422);
  const needsSite = await api.post(`/councils/${councilId}/income-streams`, {
    partner: 'NHS',
    kind: 'grant',
    annualValuePence: 1,
    startDate: '2026-04-01',
    requiresSiteOpen: true,
  });
  t.equal(needsSite.status, 422);
  t.same(
    needsSite.body.errors.map((e: { path: string }) => e.path),
    ['/siteId'],
  );
  const backwards = await api.post(`/councils/${councilId}/income-streams`, {
    partner: 'NHS',
    kind: 'grant',
    annualValuePence: 1,
    startDate: '2026-04-01',
    endDate: '2025-04-01',
  });
  t.equal(backwards.status, 422);
  t.same(
    backwards.body.errors.map((e: { path: string }) => e.path),
    ['/endDate'],
  );
  const dupArea = { code: 'E01006512', name: 'Liverpool 031A', lat: 53.4, lon: -2.9, under5Population: 10, deprivationDecile: 1 };
  t.equal((await api.post(`/councils/${councilId}/areas`, dupArea)).status, 201);
  t.equal((await api.post(`/councils/${councilId}/areas`, dupArea)).status, 409, 'area codes are unique within a council');
  t.equal((await api.post(`/councils/${otherId}/areas`, dupArea)).status, 201, 'but not across councils');
});

t.test('open spokes hold a hub open, any spoke keeps it a hub: through the API and imports', async (t) => {
  // As scenarios decide (network-rules.ts): test/domain/validation.test.ts.
  const api = client(app);
  const councilId = await createCouncil(api);
  const sites = `/councils/${councilId}/sites`;
  const hub = (await api.post(sites, { name: 'Hub', role: 'hub', ...at })).body;
  const spoke = (await api.post(sites, { name: 'Spoke', role: 'spoke', hubId: hub.id, ...at })).body;
  const refused = await api.patch(`${sites}/${hub.id}`, { status: 'closed' });
  expectProblem(t, refused, 409);
  t.match(refused.body.detail, /1 open spoke/);
  t.equal((await api.patch(`${sites}/${spoke.id}`, { status: 'closed' })).status, 200);
  const demoted = await api.patch(`${sites}/${hub.id}`, { role: 'standalone' });
  expectProblem(t, demoted, 409);
  t.match(demoted.body.detail, /1 spoke\(s\)/, 'a closed spoke still names its hub');
  t.equal((await api.patch(`${sites}/${hub.id}`, { status: 'closed' })).status, 200, 'a closed spoke does not hold its hub open');
  t.equal((await api.patch(`${sites}/${spoke.id}`, { name: 'Old spoke' })).status, 200, 'a closed spoke may name a closed hub');
  expectProblem(t, await api.patch(`${sites}/${spoke.id}`, { status: 'open' }), 422, '/hubId');
  expectProblem(t, await api.delete(`${sites}/${hub.id}`), 409);

  const importSites = async (...lines: string[]) => {
    const response = await app.inject({
      method: 'POST',
      url: `/councils/${councilId}/imports/sites`,
      headers: { ...bearer(testAdminKey), 'content-type': 'text/csv' },
      payload: ['name,urn,role,hubUrn,status,lat,lon', ...lines].join('\n'),
    });
    return { status: response.statusCode, body: response.json() };
  };
  t.equal((await importSites('Hub two,2,hub,,open,53.44,-2.93', 'Spoke two,3,spoke,2,open,53.44,-2.93')).status, 200);
  const closing = await importSites('Hub two,2,hub,,closed,53.44,-2.93');
  t.equal(closing.status, 422, 'an import cannot close a hub with an open spoke');
  t.match(JSON.stringify(closing.body), /spoke \\"Spoke two\\" would be left with a hub that is closed/);
  t.equal((await importSites('Spoke two,3,spoke,2,closed,53.44,-2.93')).status, 200);
  const demoting = await importSites('Hub two,2,standalone,,open,53.44,-2.93');
  t.equal(demoting.status, 422, 'nor demote one with a closed spoke');
  t.match(JSON.stringify(demoting.body), /would be left with a hub that is not a hub/);
  t.equal((await importSites('Hub two,2,hub,,closed,53.44,-2.93')).status, 200, 'but may close it');
  t.equal((await importSites('Spoke three,4,spoke,2,closed,53.44,-2.93')).status, 200, 'a closed spoke may name a closed hub');
  const reopening = await importSites('Spoke three,4,spoke,2,open,53.44,-2.93');
  t.equal(reopening.status, 422, 'an open one may not');
  t.match(JSON.stringify(reopening.body), /\\"Hub two\\" is closed/);
});
