// Debian's Chromium driven by playwright-core: never a downloaded browser. Outside CI, the browser tests
// are skipped (with a message saying why) when /usr/bin/chromium is absent; in CI (CI=true) they run,
// and .ci/run installs Chromium first.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import tap, { type Test } from 'tap';

export const chromiumPath = '/usr/bin/chromium';
export const screenshotsDir = new URL('../../artifacts/screenshots/', import.meta.url);

/** Why the browser tests cannot run here, or undefined when they can (in CI they always must). */
export function browserUnavailable(): string | undefined {
  if (existsSync(chromiumPath) || process.env.CI === 'true') return undefined;
  return `${chromiumPath} is absent: install it with \`apt-get install -y chromium\` to run the browser tests`;
}

let shared: Promise<Browser> | undefined;

/**
 * A headless Chromium for the process, launched at the first ask and closed when its tests end: the
 * browser test files share a process (test/by-folder/browser.test.ts), and with it one browser, each
 * file in contexts of its own.
 */
function sharedBrowser(): Promise<Browser> {
  shared ??= chromium
    .launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
    .then((browser) => {
      tap.teardown(() => browser.close());
      return browser;
    });
  return shared;
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as they happen. */
  errors: string[];
  /** Requests to anywhere but `origin`: refused, and listed. */
  outside: string[];
}

/**
 * A page, in a browser context of its own closed when `t` ends, that may reach only `origin`: every other
 * request is aborted and recorded, as are console errors.
 */
export async function watchedPage(t: Test, origin: string): Promise<WatchedPage> {
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  // tsx compiles these tests keeping function names, through a __name helper that page.evaluate's
  // functions then call inside the page: give the page a harmless one.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = await context.newPage();
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return { page, errors, outside };
}

/** Saves a screenshot of the whole page, or of one element of it, as a CI artefact (artifacts/screenshots/, not committed). */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = new URL(`${name}.png`, screenshotsDir).pathname;
  await ('goto' in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path }));
  return path;
}

const axePath = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

/**
 * The page's violations of axe-core's rules that are serious or critical. axe comes from node_modules,
 * added as a script of the page's own origin (answered by the browser, not the service), since the
 * pages' Content-Security-Policy, kept in force, refuses inline scripts.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const axeUrl = `${new URL(page.url()).origin}/__test__/axe.min.js`;
  await page.route(axeUrl, (route) => route.fulfill({ path: axePath, contentType: 'text/javascript' }));
  await page.addScriptTag({ url: axeUrl });
  // Runs in the page (a string, since these tests are typed without the DOM's types).
  return page.evaluate(`axe.run(document).then(({ violations }) => violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`);
}

/** First paint and first contentful paint of the page's last navigation, in milliseconds from its start. */
export async function paintTimes(page: Page): Promise<{ firstPaintMs: number | null; firstContentfulPaintMs: number | null }> {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 10_000 });
  return page.evaluate(() => {
    const paint = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return { firstPaintMs: paint('first-paint'), firstContentfulPaintMs: paint('first-contentful-paint') };
  });
}
