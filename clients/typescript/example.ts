// The typed client at work, as a council's developer would use it: list the sites, create a scenario
// that closes the smallest open spoke, evaluate it (JSON and CSV), compare it with the network as it is,
// and delete it again. Run it against a running service:
//   CENTRE_NETWORK_URL=http://127.0.0.1:3000 CENTRE_NETWORK_KEY=cnk_… node --import tsx clients/typescript/example.ts
import { centreNetworkClient, type Schemas } from './index.js';

const baseUrl = process.env.CENTRE_NETWORK_URL ?? 'http://127.0.0.1:3000';
const key = process.env.CENTRE_NETWORK_KEY;
if (!key) {
  console.error('Set CENTRE_NETWORK_KEY to an API key (the demo key is printed when `npm start` starts)');
  process.exit(2);
}
const api = centreNetworkClient(baseUrl, key);

/** The answer's data, or the problem's detail as an error. */
function ok<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    const problem = answer.error as Partial<Schemas['Problem']> | undefined;
    throw new Error(`${answer.response.status} ${answer.response.url}: ${problem?.detail ?? problem?.title ?? 'no body'}`);
  }
  return answer.data;
}
const pounds = (pence: number) => `£${Math.round(pence / 100).toLocaleString('en-GB')}`;

const councils = ok(await api.GET('/councils'));
const council = councils.items[0];
if (!council) throw new Error('This key sees no council');
const councilId = council.id;
console.log(`Council: ${council.name} (${council.code})`);

const sites: Schemas['Site'][] = ok(await api.GET('/councils/{councilId}/sites', { params: { path: { councilId } } })).items;
console.log(`Sites: ${sites.length} (${sites.filter((s) => s.status === 'open').length} open)`);
const spokes = sites.filter((s) => s.status === 'open' && s.role === 'spoke');
const smallest = spokes.sort((a, b) => a.openingHoursPerWeek - b.openingHoursPerWeek)[0];
if (!smallest) throw new Error('No open spoke to close');

const scenario = ok(
  await api.POST('/councils/{councilId}/scenarios', {
    params: { path: { councilId } },
    body: {
      name: `Example: close ${smallest.name}`,
      actions: [{ type: 'close_site', siteId: smallest.id, oneOffCostPence: 2_500_000 }],
    },
  }),
);
console.log(`Scenario created: ${scenario.name} (${scenario.id})`);
const scenarioPath = { params: { path: { councilId, scenarioId: scenario.id } } };

const evaluation: Schemas['ScenarioEvaluation'] = ok(await api.GET('/councils/{councilId}/scenarios/{scenarioId}/evaluation', scenarioPath));
console.log(
  `Evaluation: saves ${pounds(evaluation.savings.annualSavingPence)} a year; under-5s reached ` +
    `${evaluation.baseline.reach.reachedUnder5s} → ${evaluation.scenario.reach.reachedUnder5s}`,
);
const csv: string = ok(await api.GET('/councils/{councilId}/scenarios/{scenarioId}/evaluation.csv', { ...scenarioPath, parseAs: 'text' }));
console.log(`Evaluation CSV: ${csv.split('\n').filter(Boolean).length} lines`);

const comparison: Schemas['OptionComparison'] = ok(
  await api.POST('/councils/{councilId}/comparisons', { params: { path: { councilId } }, body: { scenarioIds: [scenario.id], includeBaseline: true } }),
);
for (const row of comparison.rows) {
  console.log(`Compared: ${row.name}: saves ${pounds(row.annualSavingPence)} a year, reaches ${row.reachedUnder5s} under-5s`);
}

const deleted = await api.DELETE('/councils/{councilId}/scenarios/{scenarioId}', scenarioPath);
if (!deleted.response.ok) throw new Error(`The scenario was not deleted: ${deleted.response.status}`);
console.log('Scenario deleted');
