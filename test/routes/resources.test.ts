import t from 'tap';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';

// Each council-owned resource goes through the same life: create, read, page through, patch, delete.
t.test('council-owned resources: create, read, list across pages, merge-patch, delete', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const hub = await api.post(`/councils/${councilId}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93 });
  t.equal(hub.status, 201);
  const siteId = hub.body.id as string;

  const resources = [
    {
      path: 'sites',
      body: (i: number) => ({
        name: `Standalone ${i}`,
        role: 'standalone',
        lat: 53.4 + i / 100,
        lon: -2.9,
        services: ['antenatal'],
        annualRunningCostPence: 1000 * i,
      }),
      patch: { name: 'Renamed', openingHoursPerWeek: 30.5 },
      cleared: { postcode: null },
    },
    {
      path: 'posts',
      body: (i: number) => ({ siteId, title: `Worker ${i}`, kind: 'frontline', fte: 0.5, annualCostPerFtePence: 3_000_000 + i }),
      patch: { fte: 0.8125, title: 'Senior worker' },
    },
    {
      path: 'income-streams',
      body: (i: number) => ({ partner: `NHS trust ${i}`, kind: 'health_contract', annualValuePence: 100_000 * i, startDate: '2026-04-01', siteId }),
      patch: { endDate: '2028-03-31', requiresSiteOpen: true },
      cleared: { endDate: null },
    },
    {
      path: 'areas',
      body: (i: number) => ({
        code: `E0100${String(6500 + i).padStart(4, '0')}`,
        name: `Liverpool 0${i}A`,
        lat: 53.4,
        lon: -2.95,
        under5Population: 80 + i,
        deprivationDecile: (i % 10) + 1,
      }),
      patch: { under5Population: 120, idaciDecile: 2 },
      cleared: { idaciDecile: null },
    },
  ];

  for (const resource of resources) {
    await t.test(resource.path, async (t) => {
      const base = `/councils/${councilId}/${resource.path}`;
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const res = await api.post(base, resource.body(i));
        t.equal(res.status, 201, `create ${i}`);
        t.equal(res.headers.location, `${base}/${res.body.id}`, 'Location names the new resource');
        t.equal(res.body.version, 1);
        t.equal(res.body.councilId, councilId);
        t.match(res.body.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        ids.push(res.body.id);
      }
      const read = await api.get(`${base}/${ids[0]}`);
      t.equal(read.status, 200);
      t.match(read.body, resource.body(1));

      // Pages of two: every item exactly once, in creation order, no next link on the last page.
      const seen: string[] = [];
      let url: string | undefined = `${base}?limit=2`;
      let pages = 0;
      while (url) {
        const page = await api.get(url);
        t.equal(page.status, 200);
        t.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        url = page.body.links.next;
        t.equal(Boolean(page.body.nextCursor), Boolean(url), 'nextCursor and links.next go together');
        pages += 1;
      }
      const expected = resource.path === 'sites' ? [siteId, ...ids] : ids;
      t.same(seen, expected, 'pages cover every item once, in creation order');
      t.equal(pages, Math.ceil(expected.length / 2));

      const patched = await api.patch(`${base}/${ids[0]}`, resource.patch);
      t.equal(patched.status, 200);
      t.match(patched.body, resource.patch);
      t.equal(patched.body.version, 2, 'a write bumps the version');
      t.ok(patched.body.updatedAt >= read.body.updatedAt);
      const untouched = Object.entries(resource.body(1)).filter(([key]) => !(key in resource.patch));
      for (const [key, value] of untouched) t.same(patched.body[key], value, `merge patch leaves ${key} alone`);

      const typed = await app.inject({
        method: 'PATCH',
        url: `${base}/${ids[1]}`,
        headers: { ...bearer(testAdminKey), 'content-type': 'application/merge-patch+json' },
        payload: JSON.stringify(resource.patch),
      });
      t.equal(typed.statusCode, 200, 'application/merge-patch+json is accepted');

      if (resource.cleared) {
        const cleared = await api.patch(`${base}/${ids[0]}`, resource.cleared);
        t.equal(cleared.status, 200);
        t.match(cleared.body, resource.cleared, 'null clears an optional field');
      }

      const deleted = await api.delete(`${base}/${ids[4]}`);
      t.equal(deleted.status, 204);
      t.equal(deleted.raw.body, '');
      t.equal((await api.get(`${base}/${ids[4]}`)).status, 404);
      t.equal((await api.delete(`${base}/${ids[4]}`)).status, 404, 'a second delete is a 404');
    });
  }
});

t.test('councils: create, read, list, patch, delete, unique code', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const created = await api.post('/councils', { code: 'E08000012', name: 'Liverpool' });
  t.equal(created.status, 201);
  t.equal(created.headers.location, `/councils/${created.body.id}`);
  const duplicate = await api.post('/councils', { code: 'E08000012', name: 'Liverpool again' });
  t.equal(duplicate.status, 409);
  t.equal(duplicate.headers['content-type'], 'application/problem+json; charset=utf-8');
  await api.post('/councils', { code: 'E08000025', name: 'Birmingham' });
  const page1 = await api.get('/councils?limit=1');
  t.equal(page1.body.items.length, 1);
  const page2 = await api.get(page1.body.links.next);
  t.equal(page2.body.items[0].code, 'E08000025');
  t.notOk(page2.body.links.next);
  const byCode = await api.get('/councils?code=E08000025');
  t.equal(byCode.body.items.length, 1);
  const patched = await api.patch(`/councils/${created.body.id}`, { name: 'Liverpool City Council' });
  t.equal(patched.body.name, 'Liverpool City Council');
  t.equal(patched.body.code, 'E08000012');
  t.equal(patched.body.version, 2);

  // Deleting a council removes what it holds, in one go.
  await api.post(`/councils/${created.body.id}/sites`, { name: 'Hub', role: 'hub', lat: 53.4, lon: -2.9 });
  t.equal((await api.delete(`/councils/${created.body.id}`)).status, 204);
  t.equal((await api.get(`/councils/${created.body.id}`)).status, 404);
  t.equal((await api.get(`/councils/${created.body.id}/sites`)).status, 404);
});
