// Swagger UI as a planner uses it, in Debian's Chromium: operations grouped by tag with descriptions,
// Authorize with the demo key, the key still authorised after a reload, "Try it out" on listing the
// sites (the demo council's id already filled in), Execute, and the Liverpool demo's sites in the answer.
// Nothing is fetched from outside the service.
import t from 'tap';
import { demoApp } from '../helpers/demo.js';
import { browserUnavailable, screenshot, watchedPage } from '../helpers/browser.js';

t.setTimeout(300_000);

t.test('Swagger UI: authorise with the demo key, reload, run an operation, see the demo data', { skip: browserUnavailable() ?? false }, async (t) => {
  const { app, councilId, key } = await demoApp(t);
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const { page, errors, outside } = await watchedPage(t, origin);
  page.setDefaultTimeout(60_000);

  await page.goto(`${origin}/docs`);
  await page.waitForSelector('.opblock-tag-section');
  const tags = await page.locator('.opblock-tag').allInnerTexts();
  t.ok(
    tags.some((tag) => tag.startsWith('Sites') && tag.includes("children's centres")),
    'operations grouped by tag, with its description',
  );
  t.ok(
    tags.some((tag) => tag.startsWith('Scenarios')),
    'scenarios have their own group',
  );

  await page.click('button.authorize');
  await page.fill('.modal-ux input[type=text]', key);
  await page.click('.modal-ux button.modal-btn.authorize');
  await page.click('.modal-ux button.btn-done');

  // Reloaded before the operation is run, so that the run below uses the key Swagger UI kept.
  await page.reload();
  await page.waitForSelector('.opblock-tag-section');
  t.equal(await page.locator('button.authorize.locked').count(), 1, 'the key stays authorised across a reload');

  const listSites = page.locator('#operations-Sites-listSites');
  await listSites.locator('.opblock-summary').click();
  await listSites.locator('button.try-out__btn').click();
  const councilField = listSites.locator('tr[data-param-name="councilId"] input');
  t.equal(await councilField.inputValue(), councilId, "the demo council's id is filled in");
  await listSites.locator('button.execute').click();
  const live = listSites.locator('.live-responses-table');
  const answer = live.locator('.response');
  await answer.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
  // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, which the reader sees
  const body = await answer.locator('.response-col_description pre').first().innerText();
  t.match(body, /Clubmoor Family Hub/, 'the Liverpool demo’s sites in the answer');
  t.match(body, new RegExp(`"councilId": "${councilId}"`), 'of the demo council');
  // The request made and its answer (the whole page, every operation listed, takes seconds to capture).
  t.comment(`screenshot ${await screenshot(live, 'swagger-ui')}`);

  t.same(errors, [], 'no console errors');
  t.same(outside, [], 'no request outside the service');
});
