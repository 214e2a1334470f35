// The three pages of the Liverpool demo in a real browser (Debian's Chromium): signed in through the
// login form, with the maps, tables and charts holding the API's own figures, no console error, no
// request leaving the service, no serious or critical accessibility violation (axe-core), screenshots
// and an A4 print saved as CI artefacts, and first paint measured.
import { writeFileSync } from 'node:fs';
import t from 'tap';
import { closeSixName, demoApp, keepAllOpenName } from '../helpers/demo.js';
import {
  browserUnavailable,
  paintTimes,
  screenshot,
  screenshotsDir,
  seriousAccessibilityViolations,
  watchedPage,
  type WatchedPage,
} from '../helpers/browser.js';

// Signing in, three pages, axe on each and a print: slow on a busy machine.
t.setTimeout(300_000);

const pounds = (pence: number) => `£${Math.round(pence / 100).toLocaleString('en-GB')}`;

t.test('the planner’s pages in Chromium', { skip: browserUnavailable() ?? false }, async (t) => {
  const { app, api, councilId, key, scenarioId } = await demoApp(t);
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const closeSix = scenarioId(closeSixName);
  const paths = {
    compare: `/councils/${councilId}/compare`,
    network: `/councils/${councilId}/view`,
    scenario: `/councils/${councilId}/view/scenarios/${closeSix}`,
  };
  const paints: Record<string, unknown> = {};

  /** Opens a page (already signed in), then checks what every page must: no errors, nothing fetched from outside, axe. */
  async function visit(watched: WatchedPage, name: keyof typeof paths, check: () => Promise<void>) {
    const { page, errors, outside } = watched;
    const response = await page.goto(origin + paths[name]);
    t.equal(response?.status(), 200, `${name}: 200`);
    t.match(response?.headers()['content-security-policy'], /default-src 'none'/);
    paints[name] = await paintTimes(page);
    await check();
    t.same(await seriousAccessibilityViolations(page), [], `${name}: no serious or critical accessibility violation`);
    t.comment(`${name}: screenshot ${await screenshot(page, name)}`);
    t.same(errors, [], `${name}: no console errors`);
    t.same(outside, [], `${name}: no request outside the service`);
  }

  const watched = await watchedPage(t, origin);
  const { page } = watched;

  // First, in the page's own history and with no session yet: a browser opening the link it was given.
  await t.test('a one-time link opens its page signed in, and leaves no token behind', async (t) => {
    const issued = await api.post(`/councils/${councilId}/page-links`, { view: 'scenario', scenarioId: closeSix });
    await page.goto(issued.body.url.replace(/^http:\/\/[^/]+/, origin));
    await page.waitForURL(origin + paths.scenario);
    t.equal(page.url(), origin + paths.scenario, 'the scenario page, with no token in the address');
    const history = await page.evaluate('history.length');
    t.ok(Number(history) <= 2, 'the link page was replaced, not kept');
    t.same(watched.errors, []);
    t.same(watched.outside, []);
  });

  await t.test('signing in through the form', async (t) => {
    // Without the session the link gave: a browser that has none.
    await page.context().clearCookies();
    await page.goto(origin + paths.compare);
    t.match(page.url(), `${origin}/login?next=`, 'sent to sign in');
    await page.fill('#key', key);
    await page.click('form.login button');
    await page.waitForURL(origin + paths.compare);
    const cookies = await page.context().cookies();
    t.equal(cookies.length, 1);
    t.match(cookies[0], { name: 'cn_session', httpOnly: true, sameSite: 'Strict' });
    t.not(cookies[0]!.value, key, 'the browser keeps a session token, not the key');
  });

  await t.test('the comparison', async (t) => {
    const all = (await api.get(`/councils/${councilId}/scenarios`)).body.items.map((s: { id: string }) => s.id);
    const comparison = (await api.get(`/councils/${councilId}/comparisons?scenarioIds=${all.join(',')}`)).body;
    t.ok(all.includes(scenarioId(keepAllOpenName)) && all.includes(closeSix), 'the page compares every scenario, the two published options among them');
    await visit(watched, 'compare', async () => {
      const maps = page.locator('figure.small-map');
      t.equal(await maps.count(), comparison.rows.length, 'a small map per option');
      t.equal(await maps.first().getAttribute('data-option'), 'baseline', 'the baseline first');
      for (const row of comparison.rows) {
        const saving = page.locator(`tr[data-metric="annualSavingPence"] td[data-option="${row.optionId}"]`);
        t.equal(await saving.getAttribute('data-value'), String(row.annualSavingPence), `${row.name}: saving as the API's`);
        t.match(await saving.textContent(), pounds(row.annualSavingPence));
        const reached = page.locator(`tr[data-metric="reachedUnder5s"] td[data-option="${row.optionId}"]`);
        t.equal(await reached.getAttribute('data-value'), String(row.reachedUnder5s), `${row.name}: reach as the API's`);
        const header = page.locator(`#comparison-table th[data-option="${row.optionId}"]`);
        t.equal((await header.getAttribute('class')) === 'dominated', row.dominatedBy.length > 0, `${row.name}: greyed exactly when dominated`);
        const point = page.locator(`#reach-chart .point[data-option="${row.name}"]`);
        t.equal(await point.getAttribute('data-x'), String(row.annualSavingPence));
        t.equal(await point.getAttribute('data-y'), String(row.reachedUnder5s));
        const deprived = page.locator(`#deprived-reach-chart .point[data-option="${row.name}"]`);
        t.equal(await deprived.getAttribute('data-y'), String(row.deprivedReachedUnder5s));
      }
      const bestSaving = Math.max(...comparison.rows.map((r: { annualSavingPence: number }) => r.annualSavingPence));
      t.equal(await page.locator('tr[data-metric="annualSavingPence"] td.best').getAttribute('data-value'), String(bestSaving), 'the best saving is marked');
      t.equal(await page.locator(`figure.small-map[data-option="${closeSix}"] .site.closed`).count(), 6, 'the six closures on their small map');
      t.ok(await page.locator('#reach-chart .frontier').getAttribute('d'), 'the frontier of the options is drawn');
    });
    // The print stylesheet lays the comparison out on A4.
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: new URL('compare-a4.pdf', screenshotsDir).pathname, format: 'A4' });
    t.equal(await page.locator('header.top').isVisible(), false, 'no navigation in print');
    await page.emulateMedia({ media: 'screen' });
  });

  await t.test('a scenario: Close 6 centres', async (t) => {
    const evaluation = (await api.get(`/councils/${councilId}/scenarios/${closeSix}/evaluation`)).body;
    await visit(watched, 'scenario', async () => {
      t.equal(await page.locator('#scenario-map .site.closed').count(), 6, 'the six closures drawn');
      const losing = await page.locator('#scenario-map .area.losing').evaluateAll((marks) => marks.map((m) => m.getAttribute('data-area')));
      t.same(losing.sort(), evaluation.areasLosingCoverage.map((a: { code: string }) => a.code).sort(), 'the areas losing coverage drawn');
      t.equal(await page.locator('#losing-table tbody tr').count(), evaluation.areasLosingCoverage.length);
      for (const [figure, value] of [
        ['annualSavingPence', evaluation.savings.annualSavingPence],
        ['oneOffPence', evaluation.savings.oneOff.totalPence],
        ['npvPence', evaluation.savings.npvPence],
        ['reachedUnder5s', evaluation.scenario.reach.reachedUnder5s],
      ] as const) {
        t.equal(await page.locator(`[data-figure="${figure}"]`).getAttribute('data-value'), String(value), `${figure} as the API's`);
      }
      const bars = await page.locator('#cash-flow-chart rect.bar').evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-pence'))));
      t.same(
        bars,
        [-evaluation.savings.oneOff.totalPence, ...evaluation.savings.cashFlow.map((y: { savingPence: number }) => y.savingPence)],
        'the cash-flow chart',
      );
      t.equal(await page.locator('#warnings > li').count(), evaluation.warnings.length, 'every warning');
      t.equal(await page.locator('#warnings > li[data-code="consultation_required"]').count(), 6);
      t.equal(await page.locator('#line-items-table tbody tr').count(), evaluation.lineItems.length, 'every line item');
      // The keyboard reaches an area, and its distance shows.
      const area = page.locator('#scenario-map .area.losing').first();
      await area.focus();
      await t.resolves(page.locator('#tip').waitFor({ state: 'visible' }));
      t.match(await page.locator('#tip').textContent(), /nearest open site .* now, .* in the scenario, loses coverage/);
    });
  });

  await t.test('the network', async (t) => {
    const network = (await api.get(`/councils/${councilId}/network`)).body;
    await visit(watched, 'network', async () => {
      t.equal(await page.locator('#network-map .site').count(), network.sites.length, 'every site drawn');
      t.equal(await page.locator('#network-map .area').count(), network.summary.areas.count, 'every area drawn');
      const spokes = network.sites.filter((s: { role: string }) => s.role === 'spoke').length;
      t.equal(await page.locator('#network-map line.link').count(), spokes, 'a link for each spoke');
      t.equal(await page.locator('#sites-table tbody tr').count(), network.sites.length);
      t.equal(await page.locator('[data-figure="grossCostPence"]').getAttribute('data-value'), String(network.summary.annualCost.grossCostPence));
      t.match(await page.locator('[data-figure="grossCostPence"] dd').textContent(), pounds(network.summary.annualCost.grossCostPence));
    });
  });

  writeFileSync(new URL('first-paint.json', screenshotsDir), `${JSON.stringify(paints, null, 2)}\n`);
  t.comment(`first paint (ms): ${JSON.stringify(paints)}`);
});
