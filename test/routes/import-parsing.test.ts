// An import's file is parsed and checked in the pool's import threads (src/imports/row-log.ts), off the
// event loop and within the import time limit: while large files are read, other councils are answered
// and evaluated; imports past the threads wait, as many as may wait.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import t, { type Test } from 'tap';
import { type AppOptions, buildApp } from '../../src/app.js';
import { client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testDatabase } from '../helpers/app.js';

// Starts services and their worker threads, and parses files of tens of thousands of rows: a while on a loaded machine.
t.setTimeout(300_000);

const header = 'name,role,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence';

/** Our sites template with `rows` rows; the first `bad` have a bad latitude. */
function sitesFile(rows: number, bad = 0): string {
  const lines = [header];
  for (let index = 0; index < rows; index++) {
    const lat = index < bad ? 'north' : (53 + (index % 1000) / 10_000).toFixed(4);
    lines.push(`"Centre ${index}, Liverpool",standalone,open,${lat},-2.9,L${1 + (index % 9)} ${index % 10}AB,"${index} Long Street,\nLiverpool",40,,,`);
  }
  return `${lines.join('\n')}\n`;
}

t.test('imports are parsed, and areas built from the ONS files, in the import threads, within the import time limit', async (t) => {
  const database = await testDatabase(t);
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation: { importTimeLimitMs: 1, threads: 1 } });
  t.teardown(() => app.close());
  const api = client(app);
  const councilId = await createCouncil(api, 'Slowshire');
  t.equal(app.evaluations.threads, 0, 'no worker thread before anything is evaluated or imported');
  const res = await app.inject({
    method: 'POST',
    url: `/councils/${councilId}/imports/sites`,
    headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'text/csv' },
    payload: sitesFile(2_000),
  });
  t.ok(app.evaluations.threads > 0, 'the import started the pool’s workers: it is parsed there, not on the event loop');
  t.equal(res.statusCode, 503, 'a file that takes longer than the time limit to read is stopped');
  t.equal(res.headers['retry-after'], '30');
  t.match(res.json(), {
    type: /service-unavailable$/,
    detail: /time limit of 0.001 s \(IMPORT_TIME_LIMIT_MS\), its wait for an import thread included/,
    errors: [{ path: 'file' }],
  });
  t.equal((await api.get(`/councils/${councilId}/sites`)).body.items.length, 0, 'nothing was imported');

  const built = await api.post(`/councils/${councilId}/imports/areas/ons`, { localAuthorityCode: 'E08000012' });
  t.equal(built.status, 503, 'a build of areas that takes longer than the time limit is stopped: it runs in an import thread too');
  t.equal(built.headers['retry-after'], '30');
  t.match(built.body, {
    type: /service-unavailable$/,
    detail: /^The areas were not built within the time limit of 0.001 s \(IMPORT_TIME_LIMIT_MS\)/,
    errors: [{ path: '/localAuthorityCode' }],
  });
  t.equal((await api.get(`/councils/${councilId}/areas`)).body.items.length, 0, 'no area was imported');
});

/**
 * A service listening on a port, with a council that imports and a quiet one with a centre, kept in memory.
 */
async function heavyAndQuiet(t: Test, evaluation: AppOptions['evaluation'] = {}) {
  const database = await testDatabase(t);
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${testAdminKey}` };
  const api = client(app);
  const heavyId = await createCouncil(api, 'Bigshire');
  const quietId = await createCouncil(api, 'Quietshire');
  t.equal((await api.post(`/councils/${quietId}/sites`, { name: 'Quiet centre', role: 'standalone', lat: 53.4, lon: -2.9 })).status, 201);
  t.equal((await fetch(`${base}/councils/${quietId}/sites`, { headers })).status, 200, 'the quiet council is kept in memory');
  return { app, base, headers, heavyId, quietId };
}

t.test('while a large file is parsed, another council is answered', async (t) => {
  const { base, headers, heavyId, quietId } = await heavyAndQuiet(t);

  // Every row is parsed and checked; the first is bad, so that nothing is written and the import's time is its parsing.
  const rows = 30_000;
  const file = sitesFile(rows, 1);
  const started = performance.now();
  let done = false;
  const heavy = fetch(`${base}/councils/${heavyId}/imports/sites`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: file,
  }).then(async (res) => {
    done = true;
    return { status: res.status, body: (await res.json()) as { report: unknown }, ms: performance.now() - started };
  });
  const reads: { status: number; ms: number }[] = [];
  while (!done) {
    const readStarted = performance.now();
    const res = await fetch(`${base}/councils/${quietId}/sites`, { headers });
    await res.arrayBuffer();
    reads.push({ status: res.status, ms: performance.now() - readStarted });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const outcome = await heavy;
  const slowest = Math.max(...reads.map((read) => read.ms));
  t.comment(
    `${rows} rows (${(file.length / 1_048_576).toFixed(1)} MiB) read in ${Math.round(outcome.ms)} ms; ${reads.length} reads meanwhile, slowest ${slowest.toFixed(1)} ms`,
  );
  t.equal(outcome.status, 422, 'the file is refused for its bad row');
  t.match(outcome.body.report, { rowsRead: rows, validRows: rows - 1, invalidRows: 1, errors: [{ line: 2, column: 'lat' }] }, 'every row was read');
  t.ok(reads.length >= 5, `the other council kept reading (${reads.length} reads)`);
  t.ok(
    reads.every((read) => read.status === 200),
    'every read answered 200',
  );
  t.ok(slowest < outcome.ms / 4, `the slowest read (${Math.round(slowest)} ms) took far less than the import (${Math.round(outcome.ms)} ms)`);
});

t.test('imports in flight never hold up another council’s evaluation', async (t) => {
  const timeLimitMs = 2_500;
  // One thread for evaluations (and so one for imports).
  const { app, base, headers, heavyId, quietId } = await heavyAndQuiet(t, { threads: 1, timeLimitMs });
  // Started ahead, as the server does once it listens: the evaluation does not wait for its thread to start.
  await app.evaluations.start();

  // More large files from one council than the pool has threads, together taking longer to parse than
  // the evaluation's time limit with the wait before it: had the imports shared the evaluations' thread,
  // the evaluation would have waited behind all three. Every file has a bad first row, so that nothing is written.
  const file = sitesFile(35_000, 1);
  let importsDone = 0;
  const imports = Array.from({ length: 3 }, () =>
    fetch(`${base}/councils/${heavyId}/imports/sites`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: file }).then(
      async (res) => {
        importsDone += 1;
        return { status: res.status, body: (await res.json()) as { detail: string } };
      },
    ),
  );
  // The files are sent and their parsing under way.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = performance.now();
  const evaluation = await fetch(`${base}/councils/${quietId}/network/evaluation`, { headers });
  const ms = performance.now() - started;
  const importsInFlight = 3 - importsDone;
  t.comment(`evaluation answered ${evaluation.status} in ${Math.round(ms)} ms with ${importsInFlight} imports in flight`);
  t.equal(evaluation.status, 200, 'the evaluation is answered');
  t.ok(ms < timeLimitMs, 'within its time limit');
  t.ok(importsInFlight > 0, 'while the imports were still being parsed');
  // Refused for its bad row; on a very busy machine, a file that waited and was read for longer than
  // the import time limit is stopped instead: a clean answer either way.
  for (const outcome of await Promise.all(imports)) {
    t.ok(outcome.status === 422 || (outcome.status === 503 && /IMPORT_TIME_LIMIT_MS/.test(outcome.body.detail)), `an import is answered ${outcome.status}`);
  }
});

t.test('an import finding as many imports waiting as may wait is refused at once, naming the limit', async (t) => {
  const database = await testDatabase(t);
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation: { importThreads: 1, importsWaiting: 1 } });
  t.teardown(() => app.close());
  const councilId = await createCouncil(client(app), 'Busyshire');
  // One file parsed, one waiting, one refused: they arrive together, within a few milliseconds, and each
  // takes far longer than that to parse.
  const file = sitesFile(10_000, 1);
  const answers = await Promise.all(
    Array.from({ length: 3 }, () =>
      app.inject({
        method: 'POST',
        url: `/councils/${councilId}/imports/sites`,
        headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'text/csv' },
        payload: file,
      }),
    ),
  );
  const statuses = answers.map((res) => res.statusCode).sort();
  t.same(statuses, [422, 422, 503], 'two files are read (and refused for their bad row), the third is turned away');
  const refused = answers.find((res) => res.statusCode === 503)!;
  t.equal(refused.headers['retry-after'], '30');
  t.match(refused.json(), {
    type: /service-unavailable$/,
    detail: /1 import\(s\) already wait for this server's 1 import thread\(s\) \(IMPORT_THREADS\)/,
    errors: [{ path: 'file' }],
  });
});
