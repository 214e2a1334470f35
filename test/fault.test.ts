// Fault test against real PostgreSQL: under a steady stream of writes the database is taken away (every
// connection cut, new ones refused) and brought back, twice. Meanwhile the service must answer 503
// problem+json, never a 500 and never hang; afterwards it must serve again by itself, and every write it
// acknowledged with a 201 must be in the database. The PostgreSQL server itself is shared with the other
// test files, so it is never stopped: the app reaches its own fresh database through a TCP proxy here,
// and the proxy is what fails.
import { once } from 'node:events';
import fsPromises from 'node:fs/promises';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import postgres from 'postgres';
import { Writable } from 'node:stream';
import { syncBuiltinESMExports } from 'node:module';
import t, { type Test } from 'tap';
import { buildApp } from '../src/app.js';
import { toProblem } from '../src/http/errors.js';
import { councils, sites } from '../src/db/schema.js';
import * as serializer from '../src/http/serializer.js';
import { bearer, client, createCouncil } from './helpers/api.js';
import { testAdminKey, testDatabase, testEvaluations } from './helpers/app.js';

const serverUrl = process.env.DATABASE_URL;

/** Any single request, during the outage included, must be answered within this. */
const requestTimeoutMs = 4_000;
/** After the database is back, the service must serve 2xx again within this, by itself. */
const recoveryLimitMs = 3_000;
const writers = 4;
const upMs = 1_000;
const downMs = 2_500;

/** A TCP proxy in front of PostgreSQL that can take the database away and bring it back. */
class FaultProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Connections the proxy has accepted, to show that the app did reconnect. */
  accepted = 0;
  /** When set, the first bytes in that direction holding the text take the database away instead of passing. */
  private cut: { text: string; toward: 'database' | 'app' } | undefined;

  /** The database goes away (connections reset) at the first message toward `toward` that holds `text`. */
  cutAt(text: string, toward: 'database' | 'app') {
    this.cut = { text, toward };
  }

  constructor(private readonly upstream: { host: string; port: number }) {}

  /** A cut's taking down, not yet finished. */
  private goingDown: Promise<void> | undefined;

  async up() {
    await this.goingDown;
    const server = net.createServer((client) => {
      this.accepted += 1;
      const upstream = net.connect(this.upstream.port, this.upstream.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.setNoDelay(true);
        socket.on('close', () => this.sockets.delete(socket));
      }
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', cut).on('close', cut);
      upstream.on('error', cut).on('close', cut);
      const relay = (from: net.Socket, to: net.Socket, toward: 'database' | 'app') =>
        from.on('data', (chunk: Buffer) => {
          const cut = this.cut;
          if (cut?.toward === toward && chunk.includes(cut.text)) {
            this.cut = undefined;
            this.goingDown = this.down('reset');
          } else if (!to.write(chunk)) {
            from.pause();
            to.once('drain', () => from.resume());
          }
        });
      relay(client, upstream, 'database');
      relay(upstream, client, 'app');
    });
    // The same port again after an outage: the app's URL names it.
    for (let attempt = 0; ; attempt++) {
      try {
        server.listen(this.port, '127.0.0.1');
        await once(server, 'listening');
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
        await sleep(50);
      }
    }
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /**
   * The database goes away: new connections are refused (the port stops listening, so ECONNREFUSED) and
   * every open one is cut, with a FIN (`end`) or a TCP reset (`reset`) towards the app.
   */
  async down(how: 'end' | 'reset') {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise((resolve) => server.close(resolve)) : Promise.resolve();
    for (const socket of this.sockets) {
      if (how === 'reset') socket.resetAndDestroy();
      else socket.destroy();
    }
    await closed;
  }

  async close() {
    await this.down('end');
  }
}

interface Outcome {
  kind: 'write' | 'ready';
  name?: string;
  started: number;
  finished: number;
  /** HTTP status, or what went wrong on the wire. */
  status: number | 'timeout' | 'network-error';
  contentType: string;
  body: string;
}

const isProblem503 = (o: Outcome) => {
  if (o.status !== 503 || !o.contentType.startsWith('application/problem+json')) return false;
  const body = JSON.parse(o.body) as { status?: number; type?: string };
  return body.status === 503 && typeof body.type === 'string' && body.type.endsWith('/service-unavailable');
};
const is2xx = (o: Outcome) => typeof o.status === 'number' && o.status >= 200 && o.status < 300;
const show = (o: Outcome) => `${o.kind} ${o.name ?? ''} ${o.status} after ${Math.round(o.finished - o.started)} ms: ${o.body.slice(0, 200)}`;

/** A fresh database that the app reaches through a FaultProxy. */
async function behindProxy(t: Test) {
  const server = new URL(serverUrl!);
  const proxy = new FaultProxy({ host: server.hostname, port: Number(server.port || 5432) });
  await proxy.up();
  t.teardown(() => proxy.close());
  return { proxy, database: await testDatabase(t, { through: { host: '127.0.0.1', port: proxy.port } }) };
}

t.test('every way the driver reports a lost database is a 503, also when drizzle wraps it', async (t) => {
  const request = { url: '/councils?limit=1', id: 'req-fault' } as FastifyRequest;
  const lost = [
    // postgres.js's own codes, and the socket's errno codes it passes on
    ...['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT'],
    ...['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'],
    // SQLSTATEs of a server shutting down or a broken connection
    ...['57P01', '57P02', '57P03', '08006'],
  ];
  for (const code of lost) {
    const driverError = Object.assign(new Error(`driver: ${code}`), { code });
    for (const error of [driverError, new Error('Failed query: select 1', { cause: driverError })]) {
      const problem = toProblem(error, request);
      t.equal(problem.status, 503, `${code}${error === driverError ? '' : ' (wrapped)'} is a 503`);
      t.equal(problem.type.split('/').pop(), 'service-unavailable');
    }
  }
  t.equal(toProblem(Object.assign(new Error('boom'), { code: 'XX000' }), request).status, 500, 'anything else stays a 500');
});

t.test(
  'the database goes away under load and comes back: 503 meanwhile, serving again after, no acknowledged write lost',
  { skip: serverUrl ? false : 'DATABASE_URL is not set: this test takes a real PostgreSQL server away (through a TCP proxy)' },
  async (t) => {
    const { proxy, database } = await behindProxy(t);
    const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
    t.teardown(() => app.close());
    // Which driver errors reached the error handler, to show what the mapping to 503 had to cover.
    const errorCodes = new Set<string>();
    app.addHook('onError', async (_request, _reply, error) => {
      for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
        const code = (current as { code?: unknown }).code;
        if (typeof code === 'string') errorCodes.add(code);
        current = (current as { cause?: unknown }).cause;
      }
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    const headers = { ...bearer(testAdminKey), 'content-type': 'application/json' };

    const council = await fetch(`${base}/councils`, { method: 'POST', headers, body: JSON.stringify({ code: 'E09000099', name: 'Faultshire' }) });
    t.equal(council.status, 201, 'a council to write into');
    const councilId = ((await council.json()) as { id: string }).id;

    // A second council that only this test writes to, by hand and behind the service's back while the
    // database is away from it: the service misses that change's notice, yet must list the site after.
    const quiet = await fetch(`${base}/councils`, { method: 'POST', headers, body: JSON.stringify({ code: 'E09000098', name: 'Quietshire' }) });
    const quietId = ((await quiet.json()) as { id: string }).id;
    const quietSites = async () =>
      ((await (await fetch(`${base}/councils/${quietId}/sites`, { headers })).json()) as { items: { name: string }[] }).items.map((s) => s.name);
    t.strictSame(await quietSites(), [], 'the quiet council has no sites yet (and its network is kept)');
    const byHand = postgres(database.directUrl!, { max: 1, onnotice: () => {} });
    t.teardown(() => byHand.end());

    const outcomes: Outcome[] = [];
    async function call(kind: Outcome['kind'], method: string, path: string, name?: string): Promise<Outcome> {
      const started = performance.now();
      let outcome: Omit<Outcome, 'finished'>;
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers,
          ...(name ? { body: JSON.stringify({ name, role: 'standalone', lat: 53.41, lon: -2.95 }) } : {}),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        outcome = { kind, started, status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        outcome = { kind, started, status: timedOut ? 'timeout' : 'network-error', contentType: '', body: String(error) };
      }
      const done = { ...outcome, finished: performance.now(), ...(name ? { name } : {}) };
      outcomes.push(done);
      return done;
    }

    // The steady load: writers creating sites with distinct names, and a readiness probe.
    const loadStart = performance.now();
    let stopping = false;
    let sequence = 0;
    const load = [
      ...Array.from({ length: writers }, async () => {
        while (!stopping) {
          sequence += 1;
          const outcome = await call('write', 'POST', `/councils/${councilId}/sites`, `Fault site ${String(sequence).padStart(5, '0')}`);
          // A steady stream, not a flood; a writer that is told the database is away does not spin.
          await sleep(is2xx(outcome) ? 10 : 20);
        }
      }),
      (async () => {
        while (!stopping) {
          await call('ready', 'GET', '/health/ready');
          await sleep(100);
        }
      })(),
    ];

    /** Until the service serves writes and readiness again after `upAt`, or past the recovery limit (which the checks below then fail). */
    const servedAgain = async (upAt: number) => {
      const served = (kind: Outcome['kind']) => outcomes.some((o) => o.kind === kind && o.started >= upAt && is2xx(o));
      while (!(served('write') && served('ready')) && performance.now() - upAt < recoveryLimitMs) await sleep(50);
    };
    const cycles: { how: 'end' | 'reset'; downAt: number; upAt: number }[] = [];
    for (const how of ['end', 'reset'] as const) {
      await sleep(upMs);
      const downAt = performance.now();
      await proxy.down(how);
      if (how === 'end') {
        await byHand`insert into sites (council_id, name, role, lat, lon) values (${quietId}, 'Added by hand during the outage', 'standalone', 53.4, -2.9)`;
      }
      await sleep(downMs);
      const upAt = performance.now();
      await proxy.up();
      cycles.push({ how, downAt, upAt });
      // The load runs on for upMs from there, before the next outage and after the last one.
      await servedAgain(upAt);
    }
    await sleep(upMs);
    stopping = true;
    await Promise.all(load);

    t.strictSame(
      outcomes.filter((o) => !is2xx(o) && !isProblem503(o)).map(show),
      [],
      'every answer is a 2xx or a 503 problem+json: never a 500, never a hang, never a dropped connection',
    );

    for (const [index, { how, downAt, upAt }] of cycles.entries()) {
      const label = `outage ${index + 1} (connections cut with ${how === 'end' ? 'a FIN' : 'a reset'})`;
      const since = cycles[index - 1]?.upAt ?? loadStart;
      const before = outcomes.filter((o) => o.kind === 'write' && o.started >= since && o.finished < downAt);
      t.ok(before.length > 0 && before.every(is2xx), `${label}: writes succeed before it (${before.length})`);

      const during = outcomes.filter((o) => o.started >= downAt && o.finished < upAt);
      const writesDuring = during.filter((o) => o.kind === 'write');
      const readyDuring = during.filter((o) => o.kind === 'ready');
      t.ok(writesDuring.length > 0, `${label}: writes keep coming (${writesDuring.length})`);
      t.ok(readyDuring.length > 0, `${label}: readiness is probed (${readyDuring.length})`);
      t.strictSame(during.filter((o) => !isProblem503(o)).map(show), [], `${label}: everything answers 503 problem+json meanwhile`);
      const slowest = Math.max(...during.map((o) => o.finished - o.started));
      t.ok(slowest < requestTimeoutMs, `${label}: the slowest 503 took ${Math.round(slowest)} ms`);

      const after = outcomes.filter((o) => o.started >= upAt);
      const firstWrite = Math.min(...after.filter((o) => o.kind === 'write' && is2xx(o)).map((o) => o.finished));
      const firstReady = Math.min(...after.filter((o) => o.kind === 'ready' && is2xx(o)).map((o) => o.finished));
      t.ok(firstWrite - upAt < recoveryLimitMs, `${label}: writes succeed again ${Math.round(firstWrite - upAt)} ms after it ends`);
      t.ok(firstReady - upAt < recoveryLimitMs, `${label}: ready again ${Math.round(firstReady - upAt)} ms after it ends`);
      const nextDown = cycles[index + 1]?.downAt ?? Number.POSITIVE_INFINITY;
      t.strictSame(after.filter((o) => o.finished < nextDown && !is2xx(o)).map(show), [], `${label}: every request made after the database is back succeeds`);
    }

    t.strictSame(await quietSites(), ['Added by hand during the outage'], 'a change made while the service could not hear of it is read after');

    // No acknowledged write is lost: every name answered with a 201 is in the database.
    const stored: string[] = [];
    for (let path: string | undefined = `/councils/${councilId}/sites?limit=500`; path; ) {
      const res = await call('ready', 'GET', path);
      t.equal(res.status, 200, 'the sites list');
      const page = JSON.parse(res.body) as { items: { name: string }[]; links: { next?: string } };
      stored.push(...page.items.map((s) => s.name));
      path = page.links.next;
    }
    const storedNames = new Set(stored);
    const writes = outcomes.filter((o) => o.kind === 'write');
    const acknowledged = writes.filter((o) => o.status === 201).map((o) => o.name!);
    const refused = writes.filter((o) => o.status === 503).map((o) => o.name!);
    t.equal(stored.length, storedNames.size, 'no site is stored twice');
    t.strictSame(
      acknowledged.filter((name) => !storedNames.has(name)),
      [],
      `all ${acknowledged.length} acknowledged writes are stored`,
    );
    const attempted = new Set(writes.map((o) => o.name!));
    t.strictSame(
      stored.filter((name) => !attempted.has(name)),
      [],
      'nothing is stored that was not written',
    );
    t.ok(refused.length > 0, `${refused.length} writes were refused with a 503`);
    const committedAnyway = refused.filter((name) => storedNames.has(name)).length;
    t.comment(
      `${writes.length} writes: ${acknowledged.length} acknowledged, ${refused.length} refused (of which ${committedAnyway} committed before the connection dropped); ` +
        `${proxy.accepted} database connections; driver error codes seen: ${[...errorCodes].sort().join(', ')}`,
    );
  },
);

t.test(
  'Idempotency-Key requests while the database goes away: problem+json without SQL or keys, the key freed, a committed write replayed',
  { skip: serverUrl ? false : 'DATABASE_URL is not set: this test takes a real PostgreSQL server away (through a TCP proxy)' },
  async (t) => {
    const { proxy, database } = await behindProxy(t);
    const logLines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({
      database,
      adminApiKey: testAdminKey,
      rateLimitPerMinute: 1_000_000,
      logger: { level: 'info', stream: logStream },
      evaluations: testEvaluations(),
    });
    t.teardown(() => app.close());
    const admin = client(app);
    const councilId = await createCouncil(admin, 'Outageshire');
    const issued = await admin.post(`/councils/${councilId}/api-keys`, { name: 'integration' });
    t.equal(issued.status, 201);
    const councilKey = issued.body.key as string;
    const keyId = issued.body.id as string;
    const api = client(app, bearer(councilKey));
    const site = (name: string) => ({ name, role: 'standalone', lat: 53.41, lon: -2.95 });
    // A create unanswered this long has hung (answers come within seconds, a 503 too): the test fails then,
    // with what the app logged, rather than at tap's time limit with nothing to go on.
    const hungAfterMs = 30_000;
    const create = async (name: string, idempotencyKey: string) => {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer to creating "${name}" in ${hungAfterMs} ms; the app's last log lines:\n${logLines.slice(-30).join('')}`)),
          hungAfterMs,
        );
      });
      try {
        return await Promise.race([api.post(`/councils/${councilId}/sites`, site(name), { 'idempotency-key': idempotencyKey }), hung]);
      } finally {
        clearTimeout(timer);
      }
    };
    const secrets = [councilKey, keyId, testAdminKey];

    /** A clean 503: problem+json, nothing of the SQL, the key, its id or the Idempotency-Key. */
    function clean503(t: Test, res: Awaited<ReturnType<typeof create>>, idempotencyKey: string, label: string) {
      t.equal(res.status, 503, `${label}: 503`);
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${label}: problem+json`);
      t.match(res.body, { type: /service-unavailable$/, requestId: String }, `${label}: the service-unavailable problem`);
      const text = JSON.stringify(res.body);
      for (const leak of [/insert|select|delete|update|idempotency_records|params/i, ...[...secrets, idempotencyKey].map((s) => new RegExp(s))]) {
        t.notMatch(text, leak, `${label}: the answer does not show ${leak}`);
      }
    }

    // The database is away before the request: the claim itself fails.
    await proxy.down('reset');
    clean503(t, await create('Never claimed', 'outage-claim'), 'outage-claim', 'the claim fails');
    await proxy.up();
    t.equal((await create('Never claimed', 'outage-claim')).status, 201, 'the same key creates once the database is back');

    // The database goes away after the claim, as the site is written: the claim cannot be freed then.
    proxy.cutAt('Claimed, then cut', 'database');
    clean503(t, await create('Claimed, then cut', 'outage-write'), 'outage-write', 'the write fails after the claim');
    await proxy.up();
    const retried = await create('Claimed, then cut', 'outage-write');
    t.equal(retried.status, 201, 'a 5xx freed the key: the retry just after the database is back creates (no 409 in progress)');
    t.notOk(retried.headers['idempotent-replayed'], 'created anew, not replayed');

    // The write commits but its answer never reaches the service: never a 500; the retry replays the 201.
    proxy.cutAt('Committed, unheard', 'app');
    const unheard = await create('Committed, unheard', 'outage-commit');
    clean503(t, unheard, 'outage-commit', 'the write commits unheard');
    await proxy.up();
    const replay = await create('Committed, unheard', 'outage-commit');
    t.equal(replay.status, 201, 'the retry answers the 201 the write kept as it committed');
    t.equal(replay.headers['idempotent-replayed'], 'true', 'replayed, not written twice');
    const names = (await api.get(`/councils/${councilId}/sites?limit=500`)).body.items.map((s: { name: string }) => s.name).sort();
    t.strictSame(names, ['Claimed, then cut', 'Committed, unheard', 'Never claimed'], 'each site stored once');

    const errorLogs = logLines.filter((line) => /"level":(40|50)/.test(line));
    t.ok(errorLogs.length > 0, `the failures are logged (${errorLogs.length} lines)`);
    t.ok(
      errorLogs.some((line) => /"code":"(ECONNREFUSED|ECONNRESET|CONNECTION_CLOSED|CONNECTION_DESTROYED)"/.test(line)),
      'with the error code',
    );
    for (const leak of [
      /insert into|select |params:/i,
      ...[...secrets, 'outage-write', 'outage-claim', 'outage-commit', 'Committed, unheard'].map((s) => new RegExp(s)),
    ]) {
      t.notOk(
        logLines.some((line) => leak.test(line)),
        `no log line holds ${leak}`,
      );
    }
  },
);

t.test('a write that commits is never answered 500: a step after the write fails, and there is no row or a 2xx', async (t) => {
  // Every serialiser fails on a resource named "Explodes", and removing an upload's temporary folder fails.
  type Serialize = (value: unknown) => string;
  const failing =
    (serialize: Serialize): Serialize =>
    (value) => {
      if ((value as { name?: unknown } | null)?.name === 'Explodes') throw new Error('the serialiser failed');
      return serialize(value);
    };
  const leftFolders: string[] = [];
  // Node's own modules' exports can be replaced for every importer (syncBuiltinESMExports): the uploads'
  // rm (src/http/upload.ts) is, for this test's time.
  const { rm } = fsPromises;
  fsPromises.rm = async (path, options) => {
    if (!String(path).includes('centre-network-upload-')) return rm(path, options);
    leftFolders.push(String(path));
    throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
  };
  syncBuiltinESMExports();
  t.teardown(() => {
    fsPromises.rm = rm;
    syncBuiltinESMExports();
    return Promise.all(leftFolders.map((path) => rm(path, { recursive: true, force: true })));
  });
  const database = await testDatabase(t);
  const app = await buildApp({
    database,
    adminApiKey: testAdminKey,
    rateLimitPerMinute: 1_000_000,
    serializerCompiler: (route) => failing(serializer.serializerCompiler(route) as Serialize),
  });
  t.teardown(() => app.close());
  const api = client(app);
  const councilId = await createCouncil(api, 'Faultshire');
  const base = `/councils/${councilId}`;
  const names = async (path: string) => (await api.get(`${base}/${path}`)).body.items.map((item: { name: string }) => item.name);

  /** The write answered 2xx and its row is there, or it failed and nothing of it is. */
  const committedOrNothing = (t: Test, res: { status: number }, written: boolean, label: string) =>
    t.ok(res.status < 300 ? written : !written, `${label}: ${res.status}, ${written ? 'written' : 'nothing written'}`);

  // A network row with nothing to check is created in one statement: committed, it is answered 201.
  const site = await api.post(`${base}/sites`, { name: 'Explodes', role: 'standalone', lat: 53.4, lon: -2.9 });
  t.equal(site.status, 201, 'a single-statement create that committed answers 201');
  t.match(site.body, { id: String, name: 'Explodes', version: 1 });
  t.strictSame(await names('sites'), ['Explodes']);

  // Writes in a transaction make their answer before the commit: its failure undoes the write.
  const scenario = await api.post(`${base}/scenarios`, { name: 'Explodes' });
  committedOrNothing(t, scenario, (await names('scenarios')).includes('Explodes'), 'a scenario');
  const hub = (await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.41, lon: -2.9 })).body;
  const spoke = await api.post(`${base}/sites`, { name: 'Explodes', role: 'spoke', hubId: hub.id, lat: 53.42, lon: -2.9 });
  committedOrNothing(t, spoke, (await names('sites')).filter((name: string) => name === 'Explodes').length === 2, 'a spoke, checked against its hub');
  // Read from the database: the API's answer for one named "Explodes" would fail too.
  const renamed = await api.patch(`${base}/sites/${hub.id}`, { name: 'Explodes' });
  const [hubNow] = await database.db.select().from(sites).where(eq(sites.id, hub.id));
  committedOrNothing(t, renamed, hubNow!.name === 'Explodes', 'a change of a site');
  t.equal(hubNow!.version, renamed.status < 300 ? 2 : 1);
  const key = await api.post(`${base}/api-keys`, { name: 'Explodes' });
  committedOrNothing(t, key, (await names('api-keys')).includes('Explodes'), 'an API key');
  const council = await api.post('/councils', { code: 'E06000099', name: 'Explodes' });
  committedOrNothing(t, council, (await api.get('/councils?code=E06000099')).body.items.length === 1, 'a council');
  const councilRenamed = await api.patch(base, { name: 'Explodes' });
  const [councilNow] = await database.db.select().from(councils).where(eq(councils.id, councilId));
  committedOrNothing(t, councilRenamed, councilNow!.name === 'Explodes', 'a change of a council');
  t.ok(
    [scenario, spoke, renamed, key, council, councilRenamed].every((res) => res.status === 500),
    'each failed before its commit (a 500, nothing written)',
  );

  // An import commits, then its temporary folder cannot be removed: answered 200 all the same.
  const imported = await app.inject({
    method: 'POST',
    url: `${base}/imports/sites`,
    headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'text/csv' },
    payload: 'name,role,lat,lon,postcode\nImported centre,standalone,53.43,-2.9,L1 1AA\n',
  });
  t.equal(imported.statusCode, 200, 'an import that committed answers 200 although its clean-up failed');
  t.ok(leftFolders.length > 0, 'the clean-up did fail');
  t.ok((await names('sites')).includes('Imported centre'));
});
