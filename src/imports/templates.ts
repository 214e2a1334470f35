// The CSV templates served at GET …/imports/templates/{kind}.csv: the header and one example row.
import { illustrativeOutcomes } from '../demo/illustrative-outcomes.js';
import { toCsv } from '../domain/csv.js';
import type { OutcomeInput } from '../schemas/resources.js';
import { areaTemplateColumns } from './areas.js';
import { centralCostTemplateColumns } from './central-costs.js';
import { incomeStreamTemplateColumns } from './income-streams.js';
import { outcomeTemplateColumns } from './outcomes.js';
import { postTemplateColumns } from './posts.js';
import { siteTemplateColumns } from './sites.js';

export const importKinds = ['sites', 'areas', 'posts', 'income-streams', 'central-costs', 'outcomes'] as const;
export type ImportKind = (typeof importKinds)[number];

type Example<Columns extends readonly string[]> = Record<Columns[number], string | number>;

const siteExample: Example<typeof siteTemplateColumns> = {
  name: "Walton Children's Centre",
  urn: '',
  role: 'spoke',
  hubUrn: '',
  hubName: 'Clubmoor Family Hub',
  status: 'open',
  lat: 53.451466,
  lon: -2.959028,
  postcode: 'L9 1NB',
  address: 'c/o SCOPE Early Years Centre, 99 Cavendish Drive, Liverpool',
  openingHoursPerWeek: 20,
  services: 'stay_and_play;family_support',
  annualPremisesCostPence: 2_000_000,
  annualRunningCostPence: 1_500_000,
};

const areaExample: Example<typeof areaTemplateColumns> = {
  code: 'E01006512',
  name: 'Liverpool 031A',
  lat: 53.400975,
  lon: -2.961748,
  under5Population: 80,
  deprivationDecile: 5,
  idaciDecile: 6,
};

const postExample: Example<typeof postTemplateColumns> = {
  siteUrn: '',
  siteName: 'Clubmoor Family Hub',
  title: 'Family support worker',
  kind: 'frontline',
  fte: 2.5,
  annualCostPerFtePence: 3_907_800,
};

const incomeStreamExample: Example<typeof incomeStreamTemplateColumns> = {
  partner: 'NHS Cheshire and Merseyside ICB',
  kind: 'health_contract',
  annualValuePence: 20_000_000,
  startDate: '2025-04-01',
  endDate: '2028-03-31',
  siteUrn: '',
  siteName: 'Clubmoor Family Hub',
  requiresSiteOpen: 'true',
};

const centralCostExample: Example<typeof centralCostTemplateColumns> = {
  title: 'Business support officer',
  category: 'back_office',
  fte: 2,
  annualCostPerFtePence: 3_100_000,
  annualBudgetPence: '',
};

// The first outcome shipped with the demo, as a council would enter it: its own, not illustrative.
const demoOutcome: OutcomeInput = { ...illustrativeOutcomes[0]!, illustrative: false };
const outcomeExample: Example<typeof outcomeTemplateColumns> = Object.fromEntries(
  outcomeTemplateColumns.map((column) => [column, String(demoOutcome[column] ?? '')]),
) as Example<typeof outcomeTemplateColumns>;

const templates: Record<ImportKind, { columns: readonly string[]; example: Record<string, string | number> }> = {
  sites: { columns: siteTemplateColumns, example: siteExample },
  areas: { columns: areaTemplateColumns, example: areaExample },
  posts: { columns: postTemplateColumns, example: postExample },
  'income-streams': { columns: incomeStreamTemplateColumns, example: incomeStreamExample },
  'central-costs': { columns: centralCostTemplateColumns, example: centralCostExample },
  outcomes: { columns: outcomeTemplateColumns, example: outcomeExample },
};

/** The template file for one kind of import: UTF-8 with a byte-order mark (for Excel), a header line and one example line. */
export function templateCsv(kind: ImportKind): string {
  const { columns, example } = templates[kind];
  return toCsv(columns, [columns.map((column) => example[column])]);
}
