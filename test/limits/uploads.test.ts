// Slow and huge clients over real HTTP (README "Limits"): slow headers, a slow body and an upload that
// stops are each cut off within their deadline, while another council's writes go on; an import over
// 64 MiB is refused while it streams, and a refused import's client sees its answer. Short deadlines
// here; the same code runs with the documented defaults.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testDatabase, testEvaluations } from '../helpers/app.js';

t.setTimeout(240_000);

const timeouts = { headersMs: 1_000, requestMs: 4_000, idleMs: 1_000 };
/** Node checks the deadlines every half headersMs (at most a second); the rest is a loaded machine's slack. */
const slackMs = 1_500;
const siteRow = (index: number) => `Centre ${index},standalone,open,53.4,-2.9,L1 1AA,1 Street,40,stay_and_play,100,100\n`;
const sitesHeader = 'name,role,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence\n';

// One database for the file, each test in a council of its own, on an app of its own (deadlines differ).
const database = await testDatabase(t);

/** A raw connection: what the server answers (parsed once whole) and when it closed the connection. */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const opened = performance.now();
  let received = Buffer.alloc(0);
  let answered: (answer: { status: number; body: string; at: number }) => void;
  const answer = new Promise<{ status: number; body: string; at: number }>((resolve) => (answered = resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)));
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = received.subarray(0, end).toString('latin1');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (received.length - end - 4 < length) return;
    const body = received.subarray(end + 4, end + 4 + length).toString('utf8');
    answered({ status: Number(head.split(' ')[1]), body, at: performance.now() - opened });
  });
  /** Writes, resolving once written (false when the connection is gone). */
  const write = (data: string | Buffer) =>
    new Promise<boolean>((resolve) => {
      if (socket.destroyed) return resolve(false);
      socket.write(data, (error) => resolve(!error));
    });
  return { socket, answer, closed, write };
}

t.test('slow and stalled clients are cut off within their deadlines; other councils write meanwhile', async (t) => {
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, timeouts, evaluations: testEvaluations() });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const api = client(app);
  const slowId = await createCouncil(api, 'Slowshire');
  const otherId = await createCouncil(api, 'Busyshire');
  const importHead = (councilId: string, length: number) =>
    `POST /councils/${councilId}/imports/sites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${testAdminKey}\r\n` +
    `Content-Type: text/csv\r\nContent-Length: ${length}\r\n\r\n`;

  // Slow headers: a header line every 200 ms, never the end of them.
  const slowHeaders = connect(port);
  const trickleHeaders = (async () => {
    await slowHeaders.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    while (await slowHeaders.write('X-Slow: 1\r\n')) await sleep(200);
  })();
  // A slow body: the headers, then 100 bytes every 200 ms (never idle, never done).
  const slowBody = connect(port);
  const trickleBody = (async () => {
    await slowBody.write(importHead(slowId, 1_000_000) + sitesHeader);
    for (let index = 0; await slowBody.write(siteRow(index).padEnd(100, ' ')); index++) await sleep(200);
  })();
  // Uploads that stop: part of the file, then nothing. More of them than the database has connections.
  const stalled = Array.from({ length: 6 }, () => connect(port));
  for (const [index, upload] of stalled.entries()) await upload.write(importHead(slowId, 1_000_000) + sitesHeader + siteRow(index));

  // Meanwhile another council's creates and imports, and the slow council's own import, all go through.
  const writes: { status: number; ms: number }[] = [];
  const started = performance.now();
  while (performance.now() - started < timeouts.requestMs + slackMs) {
    const at = performance.now();
    writes.push({ ...(await api.post(`/councils/${otherId}/sites`, { name: `Busy ${writes.length}`, role: 'standalone', lat: 53.4, lon: -2.9 })), ms: 0 });
    writes.at(-1)!.ms = performance.now() - at;
    await sleep(100);
  }
  for (const councilId of [otherId, slowId]) {
    const imported = await app.inject({
      method: 'POST',
      url: `/councils/${councilId}/imports/sites`,
      headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'text/csv' },
      payload: sitesHeader + siteRow(1000),
    });
    t.equal(
      imported.statusCode,
      200,
      `an import into ${councilId === slowId ? 'the slow council itself' : 'another council'} is not held up by the stalled uploads`,
    );
  }

  const headersAnswer = await Promise.race([slowHeaders.answer, slowHeaders.closed.then(() => undefined)]);
  t.equal(headersAnswer?.status, 408, 'slow headers: a 408');
  t.match(headersAnswer?.body, /request-timeout/, 'a problem');
  const headersClosed = await slowHeaders.closed;
  t.ok(headersClosed < timeouts.headersMs + slackMs, `slow headers: cut off after ${Math.round(headersClosed)} ms (deadline ${timeouts.headersMs} ms)`);
  t.ok(headersClosed >= timeouts.headersMs - 50, 'not before the deadline');

  const bodyAnswer = await Promise.race([slowBody.answer, slowBody.closed.then(() => undefined)]);
  t.equal(bodyAnswer?.status, 408, 'a slow body: a 408');
  const bodyClosed = await slowBody.closed;
  t.ok(bodyClosed < timeouts.requestMs + slackMs, `a slow body: cut off after ${Math.round(bodyClosed)} ms (deadline ${timeouts.requestMs} ms)`);
  t.ok(bodyClosed >= timeouts.requestMs - 50, 'not before the deadline');

  for (const [index, upload] of stalled.entries()) {
    const closedAfter = await upload.closed;
    t.ok(
      closedAfter < timeouts.idleMs + slackMs,
      `stalled upload ${index + 1}: closed after ${Math.round(closedAfter)} ms idle (deadline ${timeouts.idleMs} ms)`,
    );
  }
  await Promise.all([trickleHeaders, trickleBody]);

  t.ok(writes.length >= 10, `another council wrote meanwhile (${writes.length} creates)`);
  t.strictSame(
    writes.filter((w) => w.status !== 201),
    [],
    'every create answered 201',
  );
  t.comment(`slowest create meanwhile: ${Math.round(Math.max(...writes.map((w) => w.ms)))} ms`);
  const slowSites = (await api.get(`/councils/${slowId}/sites?limit=500`)).body.items.map((s: { name: string }) => s.name);
  t.strictSame(slowSites, ['Centre 1000'], 'nothing of the cut-off uploads was imported');

  // Once the file has arrived, the server's own work (waiting for an import thread, parsing, writing)
  // is bounded by the import's limits, not by the idle deadline: however long it takes, it is answered.
  const badFirstRow = Buffer.from(sitesHeader + siteRow(0).replace('53.4', 'north') + Array.from({ length: 40_000 }, (_, index) => siteRow(index)).join(''));
  const long = connect(port);
  const sentAt = performance.now();
  await long.write(importHead(slowId, badFirstRow.length));
  await long.write(badFirstRow);
  const longAnswer = await Promise.race([long.answer, long.closed.then(() => undefined)]);
  const workedMs = performance.now() - sentAt;
  t.equal(longAnswer?.status, 422, `a file worked on for ${Math.round(workedMs)} ms is answered (refused for its bad row)`);
  t.ok(workedMs > timeouts.idleMs, 'past the idle deadline');
  long.socket.destroy();
});

/** What `answer` resolves to within `ms`, else undefined; the timer is cleared either way, so that it keeps no process alive. */
function within<T>(answer: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

t.test('an import over 64 MiB is refused as it streams, nothing written; a refused import is answered to a client still sending', async (t) => {
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const api = client(app);
  const councilId = await createCouncil(api);
  const head = (extra: string) =>
    `POST /councils/${councilId}/imports/sites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${testAdminKey}\r\nContent-Type: text/csv\r\n${extra}\r\n`;
  const MiB = 1_048_576;
  const rows = Buffer.from(Array.from({ length: 10_000 }, (_, index) => siteRow(index)).join(''));
  const chunk = Buffer.concat([rows, Buffer.alloc(MiB - rows.length, ' ')]);

  // Content-Length says 65 MiB: the 413 comes after the first MiB is sent, long before the rest.
  const declared = connect(port);
  await declared.write(head(`Content-Length: ${65 * MiB}\r\n`) + sitesHeader);
  await declared.write(chunk);
  const early = await within(declared.answer, 10_000);
  t.equal(early?.status, 413, 'a 413 while 64 MiB are still to come');
  t.match(early?.body, /payload-too-large/);
  let sent = 1;
  while (sent < 65 && (await declared.write(chunk))) sent += 1;
  t.equal(sent, 65, 'the client may send the rest: the connection stays open while it does');
  declared.socket.destroy();

  // No length given (chunked): the 413 comes once 64 MiB have passed, to a client still sending.
  const chunked = connect(port);
  await chunked.write(head('Transfer-Encoding: chunked\r\n'));
  const chunkFrame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  await chunked.write(`${sitesHeader.length.toString(16)}\r\n${sitesHeader}\r\n`);
  let chunksSent = 0;
  let refused: { status: number; body: string } | undefined;
  void chunked.answer.then((answer) => (refused = answer));
  while (chunksSent < 65 && !refused && (await chunked.write(chunkFrame))) chunksSent += 1;
  await chunked.write('0\r\n\r\n');
  const late = await within(chunked.answer, 10_000);
  t.equal(late?.status, 413, `a 413 for a chunked upload past 64 MiB (${chunksSent} MiB sent)`);
  chunked.socket.destroy();

  // A bad header row: the client sends its whole 8 MiB file, then reads the 422.
  const badHeader = connect(port);
  await badHeader.write(`${head(`Content-Length: ${8 * MiB + 12}\r\n`)}no,such,cols`);
  for (let index = 0; index < 8; index++) await badHeader.write(chunk);
  const rejected = await within(badHeader.answer, 20_000);
  t.equal(rejected?.status, 422, 'a bad header row: the client still sending sees the 422');
  badHeader.socket.destroy();

  t.strictSame((await api.get(`/councils/${councilId}/sites?limit=1`)).body.items, [], 'nothing was written');
});
