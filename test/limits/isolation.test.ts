// One council's heaviest evaluation must not hold up another council: evaluations run in worker threads
// (src/evaluation-pool.ts) within a time limit, and every limit that bounds an evaluation's work is
// enforced by the schemas (README "Limits"). Through real HTTP, on PGlite or on PostgreSQL with DATABASE_URL.
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { scenarios } from '../../src/db/schema.js';
import { maxListedAreas } from '../../src/domain/list-limits.js';
import { scenarioLimits } from '../../src/schemas/scenario.js';
import { client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testDatabase } from '../helpers/app.js';
import { syntheticCouncil } from '../helpers/synthetic-council.js';

// Writing 45,000 rows and the evaluation itself take a while on a loaded machine.
t.setTimeout(300_000);

t.test('the largest allowed evaluation runs in a worker: another council is answered meanwhile, and the heavy one within its limit', async (t) => {
  const database = await testDatabase(t);
  const timeLimitMs = 20_000;
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation: { timeLimitMs } });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const api = client(app);
  const { councilId: heavyId, network } = await syntheticCouncil(database.db, api, 3_000);
  const closable = network.sites.filter((site) => site.status === 'open' && site.role !== 'hub').slice(0, scenarioLimits.maxActions);
  const [scenario] = await database.db
    .insert(scenarios)
    .values({
      councilId: heavyId,
      name: 'Close everything closable',
      parameters: { radiusM: scenarioLimits.maxRadiusM, horizonYears: scenarioLimits.maxHorizonYears },
      actions: closable.map((site) => ({ type: 'close_site', siteId: site.id })),
    })
    .returning({ id: scenarios.id });
  t.equal(closable.length, scenarioLimits.maxActions, 'as many actions as allowed');

  const quietId = await createCouncil(api, 'Quietshire');
  t.equal((await api.post(`/councils/${quietId}/sites`, { name: 'Quiet centre', role: 'standalone', lat: 53.4, lon: -2.9 })).status, 201);
  const headers = { authorization: `Bearer ${testAdminKey}` };
  t.equal((await fetch(`${base}/councils/${quietId}/sites`, { headers })).status, 200, 'the quiet council is kept in memory');
  // The heavy council's network read and kept, and the worker threads started, beforehand: the heavy
  // request's time is then its evaluation's.
  t.equal((await fetch(`${base}/councils/${heavyId}/sites?limit=1`, { headers })).status, 200, 'the heavy council is kept in memory');
  t.equal((await fetch(`${base}/councils/${quietId}/network/evaluation`, { headers })).status, 200, 'the workers are started');

  const read = async () => {
    const started = performance.now();
    const res = await fetch(`${base}/councils/${quietId}/sites`, { headers });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  };
  const percentile99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1]!;
  const quiet: number[] = [];
  for (let index = 0; index < 100; index++) quiet.push((await read()).ms);
  const quietP99 = percentile99(quiet);

  const heavyStarted = performance.now();
  let heavyDone = false;
  const heavy = fetch(`${base}/councils/${heavyId}/scenarios/${scenario!.id}/evaluation`, { headers }).then(async (res) => {
    heavyDone = true;
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text(), ms: performance.now() - heavyStarted };
  });
  const reads: { status: number; ms: number }[] = [];
  while (!heavyDone) {
    reads.push(await read());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const outcome = await heavy;
  const p99 = percentile99(reads.map((read) => read.ms));
  const slowestRead = Math.max(...reads.map((read) => read.ms));
  t.comment(
    `heavy evaluation: ${outcome.status} in ${Math.round(outcome.ms)} ms, ${outcome.body.length} characters; ${reads.length} reads meanwhile, ` +
      `p99 ${p99.toFixed(1)} ms, slowest ${slowestRead.toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );
  t.ok(reads.length >= 5, `the other council kept reading (${reads.length} reads)`);
  t.ok(
    reads.every((read) => read.status === 200),
    'every read answered 200',
  );
  t.ok(slowestRead < outcome.ms / 4, `the slowest read (${Math.round(slowestRead)} ms) took far less than the evaluation (${Math.round(outcome.ms)} ms)`);
  // The goal (issue #16): another council's reads keep a p99 under 20 ms while the heaviest evaluation
  // runs. Judged only on a machine not already busier than its cores: on a shared, overloaded one the
  // quiet reads themselves miss it, and the figures are only reported.
  const goal = `the other council's reads: p99 ${p99.toFixed(1)} ms while it runs, ${quietP99.toFixed(1)} ms quiet (goal: under 20 ms)`;
  const busy = loadavg()[0]! >= availableParallelism();
  t.ok(p99 < 20, goal, busy ? { skip: `not judged: load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores` } : {});
  t.ok(outcome.ms < timeLimitMs + 5_000, 'the heavy request ended within its time limit (and the sending of its network to a worker)');
  if (outcome.status === 200) {
    const evaluation = JSON.parse(outcome.body);
    t.ok(
      evaluation.warnings.every((w: { evidence: { areas?: unknown[] } }) => (w.evidence.areas?.length ?? 0) <= maxListedAreas.evidence),
      'evidence lists are capped',
    );
    t.ok(evaluation.areasLosingCoverage.length <= maxListedAreas.losingCoverage);
  } else {
    t.equal(outcome.status, 503, 'past the time limit: a 503 problem');
    t.match(outcome.type, /application\/problem\+json/);
    t.match(JSON.parse(outcome.body).detail, /time limit of 20 s \(EVALUATION_TIME_LIMIT_MS\)/);
  }
});
