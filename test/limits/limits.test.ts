// Every limit that bounds an evaluation's work (README "Limits"): at the limit it works, past it the
// request is a 422 limit-exceeded naming the field (malformed input stays a 400); lists of areas in answers are capped; answers are kept by bytes;
// an evaluation past its time limit is stopped. On PGlite, or on PostgreSQL with DATABASE_URL.
import t, { type Test } from 'tap';
import { syntheticNetwork } from '../../bench/synthetic-network.js';
import { buildApp } from '../../src/app.js';
import { areas } from '../../src/db/schema.js';
import { maxListedAreas } from '../../src/domain/list-limits.js';
import { AnswerCache } from '../../src/evaluation-cache.js';
import { EvaluationPool, evaluationDefaults } from '../../src/evaluation-pool.js';
import { monteCarloDraws } from '../../src/schemas/economics.js';
import { scenarioLimits } from '../../src/schemas/scenario.js';
import { client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp, testDatabase } from '../helpers/app.js';
import { insertRows, syntheticCouncil } from '../helpers/synthetic-council.js';

// Each test starts a service's worker threads, which takes a while on a loaded machine.
t.setTimeout(300_000);

// One database for the file, and one app on the shared worker threads for the tests that need no
// threads of their own: each test works in a council of its own.
const database = await testDatabase(t);
const app = await testApp(t, { database });

/** A council of one open centre on the file's app. */
async function councilWithOneSite() {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const site = (await api.post(`${base}/sites`, { name: 'Centre', role: 'standalone', lat: 53.4, lon: -2.9 })).body;
  return { api, councilId, base, site };
}

t.test('an evaluation past the time limit is stopped and answered 503 naming the limit; the pool serves on', async (t) => {
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation: { timeLimitMs: 1, threads: 1 } });
  t.teardown(() => app.close());
  const api = client(app);
  const { councilId, network } = await syntheticCouncil(database.db, api, 300);
  const closable = network.sites.filter((site) => site.status === 'open' && site.role !== 'hub').slice(0, 100);
  const created = await api.post(`/councils/${councilId}/scenarios`, {
    name: 'Heavy',
    parameters: { radiusM: scenarioLimits.maxRadiusM },
    actions: closable.map((site) => ({ type: 'close_site', siteId: site.id })),
  });
  t.equal(created.status, 201);
  const res = await api.get(`/councils/${councilId}/scenarios/${created.body.id}/evaluation`);
  t.equal(res.status, 503);
  t.match(res.body, { type: /service-unavailable$/, detail: /time limit of 0.001 s \(EVALUATION_TIME_LIMIT_MS\)/, errors: [{ path: 'evaluation' }] });
  t.ok(Number(res.headers['retry-after']) > 0, 'with Retry-After');
  t.ok(app.evaluations.threads > 0, 'the stopped worker was replaced');
});

/** A 422 limit-exceeded naming `path`. */
function pastLimit(t: Test, res: { status: number; body: { type: string; errors: unknown } }, path: string, label: string) {
  t.equal(res.status, 422, `${label} past the limit is refused`);
  t.match(res.body, { type: /\/limit-exceeded$/, errors: [{ path, message: /at most .* \(the limit\)/ }] }, `naming ${path}`);
}

t.test('limits: at the limit works, past it is a 422 naming the field', async (t) => {
  const { api, base, site } = await councilWithOneSite();
  const income = { type: 'add_income', partner: 'NHS', kind: 'health_contract', annualValuePence: 100, requiresSiteOpen: false };
  const cases: [string, object, object, string][] = [
    ['radiusM', { parameters: { radiusM: scenarioLimits.maxRadiusM } }, { parameters: { radiusM: scenarioLimits.maxRadiusM + 1 } }, '/parameters/radiusM'],
    [
      'horizonYears',
      { parameters: { horizonYears: scenarioLimits.maxHorizonYears } },
      { parameters: { horizonYears: scenarioLimits.maxHorizonYears + 1 } },
      '/parameters/horizonYears',
    ],
    ['actions', { actions: Array(scenarioLimits.maxActions).fill(income) }, { actions: Array(scenarioLimits.maxActions + 1).fill(income) }, '/actions'],
  ];
  const ids: string[] = [];
  for (const [label, atLimit, past, path] of cases) {
    const ok = await api.post(`${base}/scenarios`, { name: `${label} at the limit`, ...atLimit });
    t.equal(ok.status, 201, `${label} at the limit is stored`);
    ids.push(ok.body.id);
    t.equal((await api.get(`${base}/scenarios/${ok.body.id}/evaluation`)).status, 200, `${label} at the limit evaluates`);
    pastLimit(t, await api.post(`${base}/scenarios`, { name: `${label} past the limit`, ...past }), path, label);
    pastLimit(t, await api.patch(`${base}/scenarios/${ok.body.id}`, past), path, `${label} in a change`);
  }
  const [first] = ids;
  const draws = (n: number) => `${base}/scenarios/${first}/evaluation?monteCarlo=${n}`;
  t.equal((await api.get(draws(monteCarloDraws.max))).status, 200, 'Monte Carlo draws at the limit');
  pastLimit(t, await api.get(draws(monteCarloDraws.max + 1)), 'query.monteCarlo', 'Monte Carlo draws');
  // A limit bounds the work one request may ask for; too few draws asks for too little to be a sample: malformed.
  t.match(
    await api.get(draws(monteCarloDraws.min - 1)),
    { status: 400, body: { type: /\/validation$/, errors: [{ path: 'query.monteCarlo', message: /100/ }] } },
    'too few draws is an invalid value, not a limit: a 400 naming the field and its minimum',
  );
  const malformed = await api.post(`${base}/scenarios`, { name: 'Malformed', parameters: { radiusM: 'far' } });
  t.match(malformed, { status: 400, body: { type: /\/validation$/ } }, 'a value of the wrong type stays a 400');
  const both = await api.post(`${base}/scenarios`, { name: 'Both', parameters: { radiusM: scenarioLimits.maxRadiusM + 1, colour: 'red' } });
  t.match(both, { status: 400, body: { type: /\/validation$/ } }, 'past a limit and malformed: a 400 naming both');
  t.match(both.body.errors, [{ path: '/parameters/radiusM' }, { path: '/parameters/colour' }]);
  while (ids.length < 11)
    ids.push(
      (
        await api.post(`${base}/scenarios`, {
          name: `Option ${ids.length}`,
          actions: [{ type: 'change_hours', siteId: site.id, openingHoursPerWeek: ids.length }],
        })
      ).body.id,
    );
  t.equal((await api.post(`${base}/comparisons`, { scenarioIds: ids.slice(0, 10) })).status, 200, 'a comparison of 10 scenarios');
  pastLimit(t, await api.post(`${base}/comparisons`, { scenarioIds: ids }), '/scenarioIds', '11 scenarios');
  pastLimit(t, await api.get(`${base}/comparisons?scenarioIds=${ids.join(',')}`), 'query.scenarioIds', '11 scenarios in a link');
  pastLimit(
    t,
    await api.post(`${base}/comparisons`, { scenarioIds: ids.slice(0, 2), monteCarlo: monteCarloDraws.max + 1 }),
    '/monteCarlo',
    'Monte Carlo draws in a comparison',
  );
});

t.test('areas listed in an answer are capped, every area counted', async (t) => {
  const { api, councilId, base, site } = await councilWithOneSite();
  const count = maxListedAreas.losingCoverage + 50;
  await insertRows(
    database.db,
    areas,
    Array.from({ length: count }, (_, index) => ({
      councilId,
      code: `E0${String(index).padStart(7, '0')}`,
      name: `Area ${index}`,
      lat: 53.4 + (index % 40) * 0.0002,
      lon: -2.9 + Math.floor(index / 40) * 0.0002,
      under5Population: 10,
      deprivationDecile: 1,
    })),
  );
  const scenario = (await api.post(`${base}/scenarios`, { name: 'Close it', actions: [{ type: 'close_site', siteId: site.id }] })).body;
  const evaluation = (await api.get(`${base}/scenarios/${scenario.id}/evaluation`)).body;
  t.equal(evaluation.areasLosingCoverage.length, maxListedAreas.losingCoverage, 'areas losing coverage: the first ones listed');
  t.equal(evaluation.areasLosingCoverageCount, count, 'all counted');
  const consultation = evaluation.warnings.find((w: { code: string }) => w.code === 'consultation_required');
  t.equal(consultation.evidence.areas.length, maxListedAreas.evidence, 'evidence: the first areas listed');
  t.equal(consultation.evidence.areaCount, count, 'all counted');
  t.equal(consultation.evidence.under5s, count * 10, 'and all their under-5s');
});

t.test('answers are kept by bytes, and an answer past the size limit is refused', async (t) => {
  const cache = new AnswerCache(10);
  cache.set('a', Buffer.alloc(4));
  cache.set('b', Buffer.alloc(4));
  t.ok(cache.get('a'), 'a is used: b is now the oldest');
  cache.set('c', Buffer.alloc(4));
  t.equal(cache.size, 8, 'never past the cap in bytes');
  t.notOk(cache.get('b'), 'the least recently used went');
  t.ok(cache.get('a') && cache.get('c'));
  cache.set('huge', Buffer.alloc(11));
  t.notOk(cache.get('huge'), 'an answer larger than the whole cache is not kept');

  const pool = new EvaluationPool({ ...evaluationDefaults, threads: 1, cacheBytes: 1_000_000, maxAnswerBytes: 1_000 });
  t.teardown(() => pool.close());
  const answer = await pool.answer('network', { kind: 'network', asOf: '2026-12-01' }, 'reading-1', syntheticNetwork(20));
  t.match(answer, { status: 'too-large', bytes: Number }, 'the worker refuses the answer rather than sending it');
});
