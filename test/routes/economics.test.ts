import t from 'tap';
import { client, createCouncil, liverpoolHub } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

t.test('the economic case, expected values and Monte Carlo over REST', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const hub = (await api.post(`${base}/sites`, { ...liverpoolHub, annualRunningCostPence: 10_000_000 })).body;
  // Four km north of the hub: its area is reached only through it.
  const north = (
    await api.post(`${base}/sites`, {
      name: 'North centre',
      role: 'standalone',
      lat: liverpoolHub.lat + 0.036,
      lon: liverpoolHub.lon,
      annualRunningCostPence: 30_000_000,
      capitalClawbackPence: 20_000_000,
      capitalGrantDate: '2008-06-01',
      clawbackProbability: 0.5,
    })
  ).body;
  await api.post(`${base}/areas`, { code: 'E01000101', name: 'North area', lat: north.lat, lon: north.lon, under5Population: 500, deprivationDecile: 1 });
  await api.post(`${base}/areas`, { code: 'E01000102', name: 'Hub area', lat: hub.lat, lon: hub.lon, under5Population: 300, deprivationDecile: 6 });
  const outcome = (
    await api.post(`${base}/outcomes`, {
      name: 'Emergency admission avoided',
      sourceRef: 'test',
      priceYear: '2013/14',
      cohortBasis: 'under5s',
      engagementRate: 1,
      impactRate: 0.01,
      impactRateLow: 0.005,
      impactRateHigh: 0.02,
      fiscalValuePence: 154_200,
      agency: 'NHS',
      cashability: 0.1,
    })
  ).body;
  const parameters = { savingsSlippage: 0.1, savingsSlippageLow: 0, savingsSlippageHigh: 0.3 };
  const close = (await api.post(`${base}/scenarios`, { name: 'Close north', parameters, actions: [{ type: 'close_site', siteId: north.id }] })).body;
  const hours = (await api.post(`${base}/scenarios`, { name: 'North as a spoke', actions: [{ type: 'make_spoke', siteId: north.id, hubId: hub.id }] })).body;

  const evaluated = await api.get(`${base}/scenarios/${close.id}/evaluation`);
  t.equal(evaluated.status, 200, JSON.stringify(evaluated.body).slice(0, 500));
  const evaluation = evaluated.body;
  // 500 under-5s lost each of 5 years × 0.01 = 5 admissions a year at £1,542.
  t.equal(evaluation.economicCase.outcomes[0].netOutcomesPerCohortYear, 5);
  t.equal(evaluation.economicCase.outcomes[0].years[0].fiscalPence, 771_000);
  t.equal(evaluation.expected.oneOff.clawbackPence, 10_000_000);
  t.equal(evaluation.economicCase.economicNpvPence, evaluation.expected.npvPence - evaluation.economicCase.valueLost.totalPence);
  t.same(evaluation.provenance.councilOutcomes, [outcome.id]);
  t.ok(evaluation.provenance.parametersGiven.includes('savingsSlippage') && evaluation.provenance.parametersDefaulted.includes('radiusM'));
  t.same(evaluation.uncertainty.inputs.map((input: { key: string }) => input.key).sort(), [`clawback:${north.id}`, `impact:${outcome.id}`, 'savingsSlippage']);
  t.notOk(evaluation.uncertainty.monteCarlo, 'Monte Carlo only on request');

  const drawn = (await api.get(`${base}/scenarios/${close.id}/evaluation?monteCarlo=2000&seed=7`)).body;
  const again = (await api.get(`${base}/scenarios/${close.id}/evaluation?monteCarlo=2000&seed=7`)).body;
  t.same(drawn.uncertainty.monteCarlo, again.uncertainty.monteCarlo, 'a seed repeats');
  t.match(drawn.uncertainty.monteCarlo, { draws: 2000, seed: 7 });
  const { p10Pence, p50Pence, p90Pence } = drawn.uncertainty.monteCarlo.economic;
  t.ok(p10Pence <= p50Pence && p50Pence <= p90Pence);
  t.notOk((await api.get(`${base}/scenarios/${close.id}/evaluation`)).body.uncertainty.monteCarlo, 'the cached evaluation is left as it was');

  const csvAnswer = await api.get(`${base}/scenarios/${close.id}/evaluation.csv?monteCarlo=500`);
  t.equal(csvAnswer.status, 200);
  const csv = String(csvAnswer.body);
  const csvLines = csv.replace(/^\uFEFF/, '').split('\r\n');
  const scenarioPenceColumn = csvLines[0]!.split(',').indexOf('scenarioPence');
  const csvRow = (pattern: RegExp) => csvLines.find((line) => pattern.test(line))?.split(',');
  t.same(csvRow(/^economic_case,outcome_value_lost,/)?.slice(2, 5), ['Emergency admission avoided', 'outcome', outcome.id]);
  t.equal(
    Number(csvRow(/^economic_case,economic_npv,/)?.[scenarioPenceColumn]),
    evaluation.economicCase.economicNpvPence,
    'the economic NPV in the scenario column',
  );
  t.same(csvRow(/^expected,clawback,/)?.slice(3, 5), ['site', north.id]);
  t.equal(Number(csvRow(/^expected,clawback,/)?.[scenarioPenceColumn]), 10_000_000);
  t.ok(csvRow(/^monte_carlo,economic_npv_p50,/), 'the Monte Carlo percentiles when asked for');

  const ids = `${close.id},${hours.id}`;
  const byEconomic = (await api.get(`${base}/comparisons?scenarioIds=${ids}&rankBy=economic_npv&monteCarlo=1000`)).body;
  t.equal(byEconomic.rankBy, 'economic_npv');
  const options = byEconomic.rows.filter((row: { isBaseline: boolean }) => !row.isBaseline);
  const ranked = [...options].sort((a, b) => a.rank - b.rank);
  t.ok(ranked[0].economicNpvPence >= ranked[1].economicNpvPence, 'ranked by the economic NPV');
  t.equal(options[0].economicNpvPence, evaluation.economicCase.economicNpvPence);
  const best = options.map((row: { monteCarlo: { probabilityBestEconomic: number } }) => row.monteCarlo.probabilityBestEconomic);
  t.equal(best[0] + best[1], 1);
  const posted = await api.post(`${base}/comparisons`, { scenarioIds: [close.id, hours.id], rankBy: 'npv', monteCarlo: 1000 });
  t.equal(posted.status, 200);
  t.same(
    posted.body.rows.map((row: { monteCarlo?: unknown }) => row.monteCarlo),
    byEconomic.rows.map((row: { monteCarlo?: unknown }) => row.monteCarlo),
    'the same draws (default seed 1) by either route',
  );
  const comparisonCsv = String((await api.get(`${base}/comparisons.csv?scenarioIds=${ids}&monteCarlo=1000`)).body);
  t.match(comparisonCsv.split('\r\n')[0], /expectedNpvPence,expectedNpvPounds,outcomeValueLostPence,outcomeValueLostPounds,economicNpvPence/);
  t.match(comparisonCsv.split('\r\n')[0], /probabilityBestEconomic/);

  const bad = await api.get(`${base}/scenarios/${close.id}/evaluation?monteCarlo=5`);
  t.equal(bad.status, 400);
  t.same(
    bad.body.errors.map((e: { path: string }) => e.path),
    ['query.monteCarlo'],
  );
  t.equal((await api.get(`${base}/comparisons?scenarioIds=${ids}&rankBy=cheapest`)).status, 400);
  const range = await api.post(`${base}/scenarios`, { name: 'Bad range', parameters: { savingsSlippage: 0.2, savingsSlippageHigh: 0.1 } });
  t.equal(range.status, 422);
  t.same(
    range.body.errors.map((e: { path: string }) => e.path),
    ['/parameters/savingsSlippageHigh'],
  );
});
