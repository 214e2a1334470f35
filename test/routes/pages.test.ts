// The HTML pages through inject: signing in without the key ever reaching a cookie, a URL or a log;
// tenancy; one-time links; and the figures on the pages being the API's own.
import t from 'tap';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey } from '../helpers/app.js';
import { closeSixName, sharedDemoApp } from '../helpers/demo.js';
import { cookieOf, sameSiteForm } from '../helpers/page-forms.js';

// Starting the demo's service and its worker threads takes a while on a loaded machine.
t.setTimeout(300_000);

// One demo for the file, and for the process's other files that read it: each test signs in, issues keys
// or links of its own, and reads figures that the others leave alone, so a fresh database and seeded demo
// each would only repeat the same start.
const demo = await sharedDemoApp();

t.test('signing in keeps a session token in a strict cookie, never the key', async (t) => {
  const { app, councilId, key } = demo;
  const pagePath = `/councils/${councilId}/compare`;

  const anonymous = await app.inject({ method: 'GET', url: pagePath });
  t.equal(anonymous.statusCode, 303, 'a page without a session sends the browser to sign in');
  t.equal(anonymous.headers.location, `/login?next=${encodeURIComponent(pagePath)}`);

  const loginPage = await app.inject({ method: 'GET', url: `/login?next=${encodeURIComponent(pagePath)}` });
  t.equal(loginPage.statusCode, 200);
  t.match(loginPage.headers['content-security-policy'], /default-src 'none'/);
  t.match(loginPage.body, /<input id="key" name="key" type="password"/);

  const wrong = await app.inject({ method: 'POST', url: '/login', ...sameSiteForm({ key: 'cnk_not-a-key', next: pagePath }) });
  t.equal(wrong.statusCode, 401);
  t.notOk(wrong.headers['set-cookie'], 'no cookie for a bad key');

  const crossSite = await app.inject({
    method: 'POST',
    url: '/login',
    payload: new URLSearchParams({ key }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
  });
  t.equal(crossSite.statusCode, 403, 'a login posted from another site is refused');
  const otherOrigin = await app.inject({
    method: 'POST',
    url: '/login',
    payload: new URLSearchParams({ key }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
  });
  t.equal(otherOrigin.statusCode, 403, 'and so is one from another origin');

  const offsite = await app.inject({ method: 'POST', url: '/login', ...sameSiteForm({ key, next: 'https://evil.example/' }) });
  t.equal(offsite.headers.location, pagePath, 'next may only name a page of this service: otherwise the comparison');

  const login = await app.inject({ method: 'POST', url: '/login', ...sameSiteForm({ key, next: pagePath }) });
  t.equal(login.statusCode, 303);
  t.equal(login.headers.location, pagePath);
  const setCookie = String(login.headers['set-cookie']);
  t.match(setCookie, /^cn_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/, 'HttpOnly, SameSite=Strict, not Secure over http');
  t.notOk(setCookie.includes(key), 'the cookie is not the key');

  const description = (app.swagger() as { info: { description: string } }).info.description;
  t.match(description, '/councils/{councilId}/compare', "Swagger UI's description names the pages");
  t.match(description, '[Sign in](/login)');

  const page = await app.inject({ method: 'GET', url: pagePath, headers: { cookie: cookieOf(setCookie) } });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  t.equal(page.headers['cache-control'], 'no-store');
  t.equal(page.headers['referrer-policy'], 'no-referrer');
  t.match(page.headers['content-security-policy'], "default-src 'none'; script-src 'self'; style-src 'self'");
  t.notOk(page.body.includes(key), 'the page never shows the key');

  const logout = await app.inject({ method: 'POST', url: '/logout', headers: { cookie: cookieOf(setCookie), 'sec-fetch-site': 'same-origin' } });
  t.equal(logout.statusCode, 303);
  t.match(String(logout.headers['set-cookie']), /^cn_session=; .*Max-Age=0$/);
  const after = await app.inject({ method: 'GET', url: pagePath, headers: { cookie: cookieOf(setCookie) } });
  t.equal(after.statusCode, 303, 'signing out ends the session');
});

t.test('a session keeps its key inside its council, and ends when the key is revoked', async (t) => {
  const { app, councilId } = demo;
  const admin = client(app, bearer(testAdminKey));
  const otherCouncil = await createCouncil(admin, 'Otherton');
  const issued = (await admin.post(`/councils/${otherCouncil}/api-keys`, { name: 'other' })).body;
  const login = await app.inject({ method: 'POST', url: '/login', ...sameSiteForm({ key: issued.key, next: `/councils/${otherCouncil}/view` }) });
  const cookie = cookieOf(login.headers['set-cookie']);
  t.equal((await app.inject({ method: 'GET', url: `/councils/${otherCouncil}/view`, headers: { cookie } })).statusCode, 200, 'its own council');
  for (const path of [`/councils/${councilId}/view`, `/councils/${councilId}/compare`]) {
    const foreign = await app.inject({ method: 'GET', url: path, headers: { cookie } });
    t.equal(foreign.statusCode, 404, `another council's page is not found: ${path}`);
    t.notOk(foreign.body.includes('Liverpool'));
  }
  t.equal((await admin.delete(`/councils/${otherCouncil}/api-keys/${issued.id}`)).status, 204);
  t.equal((await app.inject({ method: 'GET', url: `/councils/${otherCouncil}/view`, headers: { cookie } })).statusCode, 303, 'revoked: sign in again');
});

t.test('a one-time link signs a browser in with the key that issued it', async (t) => {
  const { app, api, councilId, scenarioId } = demo;
  const admin = client(app, bearer(testAdminKey));
  const readOnly = (await admin.post(`/councils/${councilId}/api-keys`, { name: 'councillor', readOnly: true })).body;
  const issued = await client(app, bearer(readOnly.key)).post(`/councils/${councilId}/page-links`, { view: 'scenario', scenarioId: scenarioId(closeSixName) });
  t.equal(issued.status, 200, 'a read-only key may issue a link');
  const url = new URL(issued.body.url);
  t.equal(url.pathname, '/pages/link', 'the link names no council, scenario or key');
  t.equal(url.search, '');
  const token = url.hash.slice(1);
  t.match(token, /^[A-Za-z0-9_-]{43}$/, 'the token is after the #: browsers never send it to a server or in a referrer');
  t.ok(Date.parse(issued.body.expiresAt) - Date.now() <= 5 * 60_000);

  const landing = await app.inject({ method: 'GET', url: '/pages/link' });
  t.equal(landing.statusCode, 200);
  t.match(landing.body, /data-link-exchange/);

  const crossSite = await app.inject({ method: 'POST', url: '/pages/link', payload: { token }, headers: { 'sec-fetch-site': 'cross-site' } });
  t.equal(crossSite.statusCode, 401, 'another site cannot redeem it (nor does trying use it up… but it is refused)');
  const redeemed = await app.inject({ method: 'POST', url: '/pages/link', payload: { token }, headers: { 'sec-fetch-site': 'same-origin' } });
  t.equal(redeemed.statusCode, 200);
  t.same(redeemed.json(), { location: `/councils/${councilId}/view/scenarios/${scenarioId(closeSixName)}` });
  const cookie = cookieOf(redeemed.headers['set-cookie']);
  t.equal((await app.inject({ method: 'GET', url: redeemed.json().location, headers: { cookie } })).statusCode, 200);
  const again = await app.inject({ method: 'POST', url: '/pages/link', payload: { token }, headers: { 'sec-fetch-site': 'same-origin' } });
  t.equal(again.statusCode, 401, 'a link works once');
  t.equal(again.json().type, 'https://centre-network.example/problems/unauthorized');

  t.equal((await api.post(`/councils/${councilId}/page-links`, { view: 'scenario' })).status, 400, 'a scenario view names its scenario');
  t.equal((await api.post(`/councils/${councilId}/page-links`, { view: 'scenario', scenarioId: '00000000-0000-4000-8000-000000000000' })).status, 404);
  t.equal((await app.inject({ method: 'POST', url: `/councils/${councilId}/page-links`, payload: {} })).statusCode, 401, 'issuing a link needs a key');
});

t.test('the pages show the figures the API answers with', async (t) => {
  const { api, councilId, scenarioId } = demo;
  const closeSix = scenarioId(closeSixName);
  const values = (body: string, pattern: RegExp) => [...body.matchAll(pattern)].map((m) => m[1]);

  const network = (await api.get(`/councils/${councilId}/network`)).body;
  const networkPage = (await api.get(`/councils/${councilId}/view`)).body as string;
  t.equal(values(networkPage, /<tr data-site="([^"]+)"/g).length, network.sites.length, 'a row for each site');
  t.match(networkPage, `data-figure="grossCostPence" data-value="${network.summary.annualCost.grossCostPence}"`);
  t.match(networkPage, `data-figure="annualIncomePence" data-value="${network.summary.annualIncomePence}"`);
  const geo = (await api.get(`/councils/${councilId}/network.geojson`)).body;
  const areaDistances = new Map(
    geo.features
      .filter((f: { properties: { kind: string } }) => f.properties.kind === 'area')
      .map((f: { properties: { code: string; nearestOpenSiteDistanceM: number } }) => [f.properties.code, String(f.properties.nearestOpenSiteDistanceM)]),
  );
  const drawn = [...networkPage.matchAll(/data-area="([^"]+)" data-distance="([^"]*)"/g)];
  t.equal(drawn.length, areaDistances.size, 'every area drawn');
  t.ok(
    drawn.every(([, code, distance]) => areaDistances.get(code!) === distance),
    "each area's distance is the GeoJSON's",
  );

  const evaluation = (await api.get(`/councils/${councilId}/scenarios/${closeSix}/evaluation`)).body;
  const scenarioPage = (await api.get(`/councils/${councilId}/view/scenarios/${closeSix}`)).body as string;
  t.match(scenarioPage, `data-figure="annualSavingPence" data-value="${evaluation.savings.annualSavingPence}"`);
  t.match(scenarioPage, `data-figure="npvPence" data-value="${evaluation.savings.npvPence}"`);
  t.equal(values(scenarioPage, /<g class="site role-[a-z]+ closed changed"/g).length, 6, 'the six closures drawn');
  t.equal(values(scenarioPage, /<g class="area losing"/g).length, evaluation.areasLosingCoverage.length, 'the areas losing coverage drawn');
  t.equal(values(scenarioPage, /<li data-code="([^"]+)"/g).length, evaluation.warnings.length, 'every warning');
  t.equal(
    values(scenarioPage, /<rect class="bar inflow" data-year="[1-9]\d*" data-pence="(-?\d+)"/g).join(),
    evaluation.savings.cashFlow.map((y: { savingPence: number }) => String(y.savingPence)).join(),
    "the chart's bars are the cash flow's savings",
  );

  const ids = (await api.get(`/councils/${councilId}/scenarios`)).body.items.map((s: { id: string }) => s.id);
  const comparison = (await api.get(`/councils/${councilId}/comparisons?scenarioIds=${ids.join(',')}`)).body;
  const comparePage = (await api.get(`/councils/${councilId}/compare`)).body as string;
  for (const row of comparison.rows) {
    t.match(comparePage, `data-option="${row.optionId}" data-value="${row.annualSavingPence}"`, `${row.name}: saving`);
  }
  t.equal(
    values(comparePage, /<figure class="small-map[^"]*" data-option="([^"]+)"/g).join(),
    comparison.rows.map((r: { optionId: string }) => r.optionId).join(),
    'a map per option, baseline first',
  );

  const bad = await api.get(`/councils/${councilId}/compare?scenarioIds=nope`);
  t.equal(bad.status, 400);
});
