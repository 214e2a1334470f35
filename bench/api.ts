// HTTP throughput and latency of the service on PostgreSQL, next to a bare Fastify route in the same run
// (so that figures from a shared, noisy machine are read as ratios). The Liverpool demo is seeded into a
// fresh database created for the run and dropped after it. Goals: reading a site at no less than half
// the bare route's throughput; every p99 under 20 ms, also while another council's largest allowed
// evaluation runs (the heavy neighbour: a 3,000-site council, 500 closures, the widest radius and the
// longest horizon).
//
//   npm run bench:api            DATABASE_URL names the server; else the local one below; else PGlite
//   npm run bench:api -- create  only the requests whose label contains "create" (each after the bare route)
//   npm run bench:api -- heavy   only reading a site quietly and beside the heavy neighbour
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import Fastify, { type FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { liverpoolCouncil, loadLiverpoolDemo } from '../src/demo/liverpool.js';
import { issueDemoKey, seedDemoIfEmpty } from '../src/demo/seed.js';
import { scenarios } from '../src/db/schema.js';
import { scenarioLimits } from '../src/schemas/scenario.js';
import { client } from '../test/helpers/api.js';
import { testAdminKey } from '../test/helpers/app.js';
import { dropDatabase } from '../test/helpers/drop-database.js';
import { syntheticCouncil } from '../test/helpers/synthetic-council.js';

const localServerUrl = 'postgres://centre_network:centre_network@127.0.0.1:5432/centre_network';
const host = '127.0.0.1';
const connections = 10;
const warmUpSeconds = 1;
const durationSeconds = 5;
const goals = { readSiteToBareRatio: 0.5, p99Ms: 20 };
const heavyNetworkSites = 3_000;
/** Distinct scenarios, so that each heavy request is worked out, not answered from the cache. */
const heavyScenarioCount = 6;
const only = process.argv[2];

interface Load {
  label: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** POSTs this body with a name unique to every request. */
  createBody?: Record<string, unknown>;
}
interface Measured {
  label: string;
  requestsPerSecond: number;
  p99Ms: number;
  ok: number;
  failed: number;
}

// autocannon runs in a child process so that it does not share the service's event loop (in a worker
// thread it would answer raw histograms, as one of its own workers).
const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
const cannonSource = `
const input = JSON.parse(process.env.BENCH_INPUT);
const autocannon = require(input.autocannonPath);
const { load, seconds, connections, namePrefix } = input;
let sequence = 0;
const requests = load.createBody
  ? [{
      method: 'POST',
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ ...load.createBody, name: namePrefix + ' ' + ++sequence }),
      }),
    }]
  : undefined;
autocannon(
  {
    url: load.url,
    method: load.method ?? 'GET',
    headers: { ...(load.headers ?? {}), ...(load.createBody ? { 'content-type': 'application/json' } : {}) },
    connections,
    duration: seconds,
    ...(requests ? { requests } : {}),
  },
  (error, result) => {
    const message = error
      ? { error: String(error) }
      : {
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          ok: result['2xx'],
          failed: result.non2xx + result.errors + result.timeouts,
        };
    process.stdout.write(JSON.stringify(message) + '\\n');
  },
);
`;

function cannon(load: Load, seconds: number, namePrefix: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', cannonSource], {
      env: { ...process.env, BENCH_INPUT: JSON.stringify({ autocannonPath, load, seconds, connections, namePrefix }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        const message = JSON.parse(output.trim().split('\n').pop() ?? '') as Omit<Measured, 'label'> & { error?: string };
        if (message.error) throw new Error(message.error);
        resolve({ label: load.label, ...message });
      } catch (error) {
        reject(new Error(`${load.label}: autocannon exited with ${code}: ${(error as Error).message} ${output}`));
      }
    });
  });
}

async function measure(load: Load): Promise<Measured> {
  await cannon(load, warmUpSeconds, `Bench warm-up ${randomUUID().slice(0, 8)}`);
  const result = await cannon(load, durationSeconds, `Bench ${randomUUID().slice(0, 8)}`);
  process.stdout.write(`  ${load.label}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms\n`);
  if (result.failed > 0) process.stdout.write(`    ${result.failed} requests did not answer 2xx\n`);
  return result;
}

/** PostgreSQL if one answers (a fresh database on it, dropped at the end), else embedded PGlite. */
async function openBenchDatabase(): Promise<{ database: Database; label: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL || localServerUrl;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    console.log(`No PostgreSQL reachable at ${new URL(serverUrl).host} (${(error as Error).message}): falling back to embedded PGlite.`);
    const database = await openDatabase({});
    return { database, label: 'embedded PGlite (in memory), NOT PostgreSQL', drop: async () => {} };
  }
  const name = `cn_bench_${randomUUID().replaceAll('-', '')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await dropDatabase(admin, name);
    await admin.end({ timeout: 5 });
  };
  try {
    const [{ version }] = (await admin`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    return { database: await openDatabase({ databaseUrl: url.toString() }), label: `PostgreSQL ${version} at ${url.host}, database ${name}`, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function listen(app: FastifyInstance) {
  await app.listen({ port: 0, host });
  return `http://${host}:${(app.server.address() as AddressInfo).port}`;
}

/**
 * Another council, of `heavyNetworkSites` sites, whose largest allowed scenarios are evaluated one after
 * another until stop() (each a different scenario, so none is answered from the cache).
 */
async function heavyNeighbour(app: FastifyInstance, database: Database, base: string) {
  const { councilId, network } = await syntheticCouncil(database.db, client(app), heavyNetworkSites);
  const closable = network.sites.filter((site) => site.status === 'open' && site.role !== 'hub');
  const stored = await database.db
    .insert(scenarios)
    .values(
      Array.from({ length: heavyScenarioCount }, (_, index) => ({
        councilId,
        name: `Largest allowed ${index + 1}`,
        parameters: { radiusM: scenarioLimits.maxRadiusM, horizonYears: scenarioLimits.maxHorizonYears },
        actions: closable.slice(index, index + scenarioLimits.maxActions).map((site) => ({ type: 'close_site', siteId: site.id })),
      })),
    )
    .returning({ id: scenarios.id });
  const headers = { authorization: `Bearer ${testAdminKey}` };
  // Its network read and kept, and the workers started, before the measurement.
  await (await fetch(`${base}/councils/${councilId}/network/evaluation`, { headers })).arrayBuffer();
  const runs: { status: number; ms: number }[] = [];
  let stopping = false;
  const running = (async () => {
    for (let index = 0; !stopping && index < stored.length; index++) {
      const started = performance.now();
      const res = await fetch(`${base}/councils/${councilId}/scenarios/${stored[index]!.id}/evaluation`, { headers });
      await res.arrayBuffer();
      runs.push({ status: res.status, ms: performance.now() - started });
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await running;
      return runs;
    },
  };
}

const { database, label, drop } = await openBenchDatabase();
// Closed in order: the servers, then the database, then it is dropped.
const closers: (() => Promise<unknown>)[] = [() => database.close(), drop];
try {
  const councilId = await seedDemoIfEmpty(database.db, loadLiverpoolDemo);
  const issued = await issueDemoKey(database.db, liverpoolCouncil.code);
  if (!councilId || !issued) throw new Error('the Liverpool demo did not seed');

  const app = await buildApp({ database, logger: false, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000_000 });
  closers.unshift(() => app.close());
  const base = await listen(app);
  const bare = Fastify({ logger: false });
  bare.get('/bare', () => ({ ok: true }));
  closers.unshift(() => bare.close());
  const bareBase = await listen(bare);

  const headers = { authorization: `Bearer ${issued.key}` };
  const council = `${base}/councils/${councilId}`;
  const get = async (url: string) => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: { id: string; name: string }[] };
  };
  const siteId = (await get(`${council}/sites?limit=1`)).items[0]!.id;
  const scenarioId = (await get(`${council}/scenarios`)).items[0]!.id;

  console.log(`Centre Network API on ${label}; Liverpool demo (26 sites, 302 areas).`);
  console.log(`${connections} connections, ${warmUpSeconds} s warm-up then ${durationSeconds} s each, on ${host}.`);
  const bareLoad: Load = { label: 'bare Fastify route', url: `${bareBase}/bare` };
  const loads: Load[] = [
    { label: 'read a site', url: `${council}/sites/${siteId}`, headers },
    { label: 'list sites (limit 50)', url: `${council}/sites?limit=50`, headers },
    { label: 'read the network', url: `${council}/network`, headers },
    { label: 'evaluate a scenario', url: `${council}/scenarios/${scenarioId}/evaluation`, headers },
    // Last: every create grows the network the reads above would see.
    {
      label: 'create a site',
      url: `${council}/sites`,
      method: 'POST',
      headers,
      createBody: { role: 'standalone', lat: 53.4084, lon: -2.9916, openingHoursPerWeek: 20 },
    },
  ];
  // On a shared machine the load from elsewhere drifts over a run: each request kind is measured right
  // after the bare route, and its ratio is to that bare figure.
  const rows: (Measured & { bareRequestsPerSecond: number })[] = [];
  for (const load of loads.filter((load) => !only || load.label.includes(only))) {
    const bare = await measure(bareLoad);
    rows.push({ ...(await measure(load)), bareRequestsPerSecond: bare.requestsPerSecond });
  }

  if (!only || only === 'heavy') {
    const quiet = rows.find((row) => row.label === 'read a site') ?? (await measure(loads[0]!));
    const heavy = await heavyNeighbour(app, database, base);
    const beside = await measure({ ...loads[0]!, label: 'read a site, beside the heavy neighbour' });
    const heavyRuns = await heavy.stop();
    rows.push({ ...beside, bareRequestsPerSecond: rows.find((row) => row.label === 'read a site')?.bareRequestsPerSecond ?? NaN });
    console.log(
      `  heavy neighbour: ${heavyRuns.length} evaluations of its largest allowed scenario meanwhile (${heavyRuns.map((run) => `${run.status} in ${(run.ms / 1000).toFixed(1)} s`).join(', ')}); ` +
        `reading a site: p99 ${quiet.p99Ms} ms quiet, ${beside.p99Ms} ms beside it`,
    );
  }

  console.log('');
  console.log('| Request | req/s | p99 ms | bare route just before, req/s | req/s ÷ bare | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${Math.round(row.requestsPerSecond)} | ${row.p99Ms} | ${Math.round(row.bareRequestsPerSecond)} | ` +
        `${(row.requestsPerSecond / row.bareRequestsPerSecond).toFixed(2)} | ${row.failed} |`,
    );
  }
  console.log('');
  const readSite = rows.find((row) => row.label === 'read a site');
  const slow = rows.filter((row) => row.p99Ms >= goals.p99Ms);
  const failures = rows.filter((row) => row.failed > 0);
  // Judged only when this run read a site on its own (not when only the heavy neighbour was asked for).
  if (readSite) {
    const readRatio = readSite.requestsPerSecond / readSite.bareRequestsPerSecond;
    console.log(
      `Goal: reading a site at no less than half the bare route's throughput: ${readRatio >= goals.readSiteToBareRatio ? 'MET' : 'NOT MET'} (${readRatio.toFixed(2)}).`,
    );
  }
  console.log(
    `Goal: every p99 under ${goals.p99Ms} ms: ${slow.length === 0 ? 'MET' : `NOT MET (${slow.map((row) => `${row.label} ${row.p99Ms} ms`).join('; ')})`}.`,
  );
  if (failures.length > 0) console.log(`Some requests failed: ${failures.map((row) => `${row.label} ${row.failed}`).join('; ')}.`);
  if (!label.startsWith('PostgreSQL')) console.log(`NOTE: measured on ${label}.`);
} finally {
  for (const close of closers) await close().catch((error: unknown) => console.error(`closing: ${(error as Error).message}`));
}
