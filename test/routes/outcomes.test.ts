import t from 'tap';
import { illustrativeOutcomes } from '../../src/demo/illustrative-outcomes.js';
import { outcomeRules } from '../../src/schemas/resources.js';
import { client, createCouncil, liverpoolHub } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

const schoolReadiness = {
  name: 'Child reaches a good level of development at 5',
  sourceRef: 'GMCA Unit Cost Database v1.4',
  priceYear: '2012/13',
  cohortBasis: 'births',
  engagementRate: 0.6,
  impactRate: 0.05,
  lagYears: 4,
  fiscalValuePence: 100_000,
  agency: 'Local authority',
};

// One app and database for the file: each test works in a council of its own.
const app = await testApp(t);

t.test('outcomes: create with defaults, read, patch, list, delete', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}/outcomes`;
  const created = await api.post(base, schoolReadiness);
  t.equal(created.status, 201);
  t.match(created.body, {
    ...schoolReadiness,
    illustrative: false,
    deadweight: 0,
    attribution: 1,
    optimismBias: 0,
    durationYears: 1,
    dropOff: 0,
    economicValuePence: 0,
    socialValuePence: 0,
    priceUplift: 1,
    cashability: 0,
    impactRateLow: null,
    impactRateHigh: null,
    under5sPerHousehold: null,
    version: 1,
  });
  const id = created.body.id;
  t.equal((await api.get(`${base}/${id}`)).body.name, schoolReadiness.name);
  const patched = await api.patch(`${base}/${id}`, { impactRateLow: 0.02, impactRateHigh: 0.08 });
  t.equal(patched.status, 200);
  t.equal(patched.body.version, 2);
  t.same(
    (await api.get(`${base}?cohortBasis=births`)).body.items.map((o: { id: string }) => o.id),
    [id],
  );
  t.same((await api.get(`${base}?cohortBasis=households`)).body.items, []);
  t.equal((await api.post(base, schoolReadiness)).status, 409, 'names are unique within a council');
  t.equal((await api.delete(`${base}/${id}`)).status, 204);
  t.equal((await api.get(`${base}/${id}`)).status, 404);
});

t.test('bad outcomes and risks are 422s naming the field', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}/outcomes`;
  const paths = (res: { body: { errors: { path: string }[] } }) => res.body.errors.map((e) => e.path).sort();

  const negativeLag = await api.post(base, { ...schoolReadiness, lagYears: -1 });
  t.equal(negativeLag.status, 422);
  t.same(paths(negativeLag), ['/lagYears']);

  const noValues = await api.post(base, { ...schoolReadiness, fiscalValuePence: 0 });
  t.equal(noValues.status, 422);
  t.same(paths(noValues), ['/fiscalValuePence']);
  t.match(noValues.body.errors[0].message, /needs a value/);

  const rates = await api.post(base, { ...schoolReadiness, impactRate: 1.5, deadweight: -0.1, impactRateHigh: 0.01, durationYears: 0 });
  t.equal(rates.status, 422);
  t.same(paths(rates), ['/deadweight', '/durationYears', '/impactRate', '/impactRateHigh']);

  const households = await api.post(base, { ...schoolReadiness, cohortBasis: 'households' });
  t.same(paths(households), ['/under5sPerHousehold']);

  const created = await api.post(base, schoolReadiness);
  const patched = await api.patch(`${base}/${created.body.id}`, { impactRateLow: 0.2 });
  t.equal(patched.status, 422, 'a patch is checked on the merged outcome');
  t.same(paths(patched), ['/impactRateLow']);

  const income = await api.post(`/councils/${councilId}/income-streams`, {
    partner: 'NHS',
    kind: 'health_contract',
    annualValuePence: 100,
    startDate: '2026-04-01',
    renewalProbability: 1.5,
  });
  t.equal(income.status, 422);
  t.same(paths(income), ['/renewalProbability']);

  const site = await api.post(`/councils/${councilId}/sites`, { ...liverpoolHub, capitalClawbackPence: 100, clawbackProbability: 2 });
  t.equal(site.status, 422);
  t.same(paths(site), ['/capitalGrantDate', '/clawbackProbability']);
  const withGrant = await api.post(`/councils/${councilId}/sites`, {
    ...liverpoolHub,
    capitalClawbackPence: 100,
    capitalGrantDate: '2008-06-01',
    clawbackProbability: 0.5,
  });
  t.equal(withGrant.status, 201);
  t.match(withGrant.body, { capitalClawbackPence: 100, capitalGrantDate: '2008-06-01', clawbackProbability: 0.5 });
});

t.test('the illustrative defaults keep the rules and say they are illustrative', async (t) => {
  t.ok(illustrativeOutcomes.length >= 3 && illustrativeOutcomes.length <= 5);
  for (const outcome of illustrativeOutcomes) {
    t.same(outcomeRules(outcome), [], outcome.name);
    t.ok(outcome.illustrative);
  }
});
