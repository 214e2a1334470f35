// How fast the planner's pages of the Liverpool demo paint in Debian's Chromium, served by `node
// dist/server.js` (what `npm start` runs) on a fresh embedded database. Each page is opened once to warm
// the server, then `rounds` times; for each we take first contentful paint from the navigation's start
// and the server's share (request sent → first byte). Goal: first paint under 300 ms. The sign-in page,
// a few hundred bytes, is measured first, as the floor that the same browser on the same machine gives.
//
//   npm run bench:pages          10 rounds
//   npm run bench:pages -- 30    30 rounds
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../test/helpers/browser.js';
import { serverProcess } from '../test/helpers/server-process.js';

const rounds = Number(process.argv[2] ?? 10);
const goalMs = 300;

const dataDir = await mkdtemp(join(tmpdir(), 'cn-bench-pages-'));
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const service = serverProcess('node', ['dist/server.js'], {
  env: { DATABASE_URL: '', DATA_DIR: join(dataDir, 'pglite'), PORT: '0', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0' },
  readyWhen: /Demo key/,
});
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const origin = await service.ready;
  const key = (await readFile(join(dataDir, 'pglite', 'demo-key'), 'utf8')).trim();
  const councilId = /council ([0-9a-f-]{36})/.exec(service.output.stdout)![1]!;
  const scenarios = (await (await fetch(`${origin}/councils/${councilId}/scenarios`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
    items: { id: string; name: string }[];
  };
  const closeSix = scenarios.items.find((s) => /close/i.test(s.name)) ?? scenarios.items[0]!;
  const paths = {
    // The smallest page the service serves: the floor this browser and machine give any page.
    'sign-in': '/login',
    network: `/councils/${councilId}/view`,
    scenario: `/councils/${councilId}/view/scenarios/${closeSix.id}`,
    compare: `/councils/${councilId}/compare`,
  };

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // tsx keeps function names through a __name helper that page functions then call: give the page one.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = await context.newPage();
  await page.goto(`${origin}/login`);
  await page.fill('#key', key);
  await page.click('form.login button');
  await page.waitForURL(`${origin}${paths.compare}`);

  const measure = async (path: string) => {
    await page.goto(origin + path);
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    return page.evaluate(() => {
      const navigation = performance.getEntries().find((entry) => String(entry.entryType) === 'navigation') as unknown as {
        responseStart: number;
        requestStart: number;
        transferSize: number;
      };
      return {
        paintMs: performance.getEntriesByName('first-contentful-paint')[0]!.startTime,
        serverMs: navigation.responseStart - navigation.requestStart,
        bytes: navigation.transferSize,
      };
    });
  };
  const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
  for (const [name, path] of Object.entries(paths)) {
    await measure(path);
    const runs = [];
    for (let round = 0; round < rounds; round += 1) runs.push(await measure(path));
    const paint = runs.map((run) => run.paintMs);
    const serverShare = runs.map((run) => run.serverMs);
    console.log(
      `${name.padEnd(9)} first paint median ${percentile(paint, 0.5).toFixed(0)} ms, p90 ${percentile(paint, 0.9).toFixed(0)} ms ` +
        `(server median ${percentile(serverShare, 0.5).toFixed(0)} ms; ${Math.round(runs[0]!.bytes / 1024)} KiB); goal under ${goalMs} ms`,
    );
  }
} finally {
  await browser.close();
  service.child.kill('SIGTERM');
  await service.exited;
  await rm(dataDir, { recursive: true, force: true });
}
