// A three-site network small enough to work every figure on paper. All sites and areas lie on the
// meridian 2.9° W, so that distances are latitude differences × 111,195.08 m a degree
// (6,371,008.8 m × π / 180).
import { evaluateScenario, type EvaluationResult } from '../../src/domain/evaluation.js';
import { resolveParameters, type ParameterOverrides } from '../../src/domain/parameters.js';
import type { Network, Site } from '../../src/domain/types.js';
import type { ScenarioAction, ScenarioEvaluation } from '../../src/schemas/scenario.js';

export const ids = {
  hub: '00000000-0000-4000-8000-000000000001',
  spoke: '00000000-0000-4000-8000-000000000002',
  standalone: '00000000-0000-4000-8000-000000000003',
  nhsContract: '00000000-0000-4000-8000-000000000101',
  lettings: '00000000-0000-4000-8000-000000000102',
  grant: '00000000-0000-4000-8000-000000000103',
  unknown: '00000000-0000-4000-8000-0000000009ff',
} as const;

const lon = -2.9;

const site = (fields: Partial<Site> & Pick<Site, 'id' | 'name' | 'role' | 'lat'>): Site => ({
  hubId: null,
  status: 'open',
  lon,
  openingHoursPerWeek: 30,
  services: [],
  annualPremisesCostPence: 0,
  annualRunningCostPence: 0,
  ...fields,
});

/**
 * Hub H at 53.40° (0 m), spoke S at 53.41° (H–S 1,112 m), standalone A at 53.43° (H–A 3,336 m).
 *
 * Staff (fte × cost per FTE, pence):
 *   H manager 1.0 × 6,000,000 = 6,000,000; H family worker 2.5 × 3,500,000 = 8,750,000;
 *   H administrator 0.5 × 2,600,000 = 1,300,000; S family worker 1.0 × 3,300,000 = 3,300,000;
 *   S administrator 0.3333 × 2,700,001 = 899,910.3333; A manager 0.8 × 5,500,000 = 4,400,000;
 *   A family worker 1.5 × 3,400,000 = 5,100,000; A administrator 0.1667 × 2,700,001 = 450,090.1667.
 *   Exact sum 30,200,000.5 → rounded once, half away from zero: 30,200,001 (rounding each post
 *   first would give 30,200,000).
 * Premises 5,000,000 + 2,000,000 + 3,000,000 = 10,000,000; running 10,000,000 + 3,000,000 + 4,000,000 = 17,000,000.
 * Gross 30,200,001 + 10,000,000 + 17,000,000 = 57,200,001.
 *
 * Income, with year 1 = 2026-04-01 … 2027-03-31 (365 days), year 2 to 2028-03-31 (366 days):
 *   NHS contract at H, 2,000,000 a year, needs H open, open-ended;
 *   lettings at A, 500,000 a year, needs A open, ends 2028-03-31 (end of year 2);
 *   grant, 1,000,000 a year, no site, ends 2026-09-30: 183 days of year 1.
 *   Year 1: (2,000,000 × 365 + 500,000 × 365 + 1,000,000 × 183) ÷ 365 = 1,095,500,000 ÷ 365
 *   = 3,001,369.86 → 3,001,370. Year 2: 2,500,000. Years 3–5: 2,000,000.
 * Net year 1 = 57,200,001 − 3,001,370 = 54,198,631.
 *
 * Areas (under-5s, decile; nearest open site): L1 53.400° (100, 1; H 0 m), L2 53.415° (200, 2; S 556 m),
 * L3 53.430° (150, 5; A 0 m), L4 53.450° (80, 3; A 2,224 m), L5 53.385° (120, 9; H 1,668 m).
 * Within 1,609 m: L1, L2, L3 = 450 of 650 under-5s; deprived (deciles 1–3): L1, L2 = 300 of 380.
 */
export function threeSiteNetwork(): Network {
  return {
    sites: [
      site({
        id: ids.hub,
        name: 'Hub H',
        role: 'hub',
        lat: 53.4,
        openingHoursPerWeek: 40,
        services: ['antenatal', 'health_visiting', 'stay_and_play'],
        annualPremisesCostPence: 5_000_000,
        annualRunningCostPence: 10_000_000,
      }),
      site({
        id: ids.spoke,
        name: 'Spoke S',
        role: 'spoke',
        hubId: ids.hub,
        lat: 53.41,
        openingHoursPerWeek: 20,
        services: ['stay_and_play'],
        annualPremisesCostPence: 2_000_000,
        annualRunningCostPence: 3_000_000,
      }),
      site({
        id: ids.standalone,
        name: 'Standalone A',
        role: 'standalone',
        lat: 53.43,
        openingHoursPerWeek: 30,
        services: ['antenatal', 'stay_and_play'],
        annualPremisesCostPence: 3_000_000,
        annualRunningCostPence: 4_000_000,
      }),
    ],
    posts: [
      { id: 'post-h-manager', siteId: ids.hub, title: 'H manager', kind: 'management', fte: 1, annualCostPerFtePence: 6_000_000 },
      { id: 'post-h-family', siteId: ids.hub, title: 'H family worker', kind: 'frontline', fte: 2.5, annualCostPerFtePence: 3_500_000 },
      { id: 'post-h-admin', siteId: ids.hub, title: 'H administrator', kind: 'admin', fte: 0.5, annualCostPerFtePence: 2_600_000 },
      { id: 'post-s-family', siteId: ids.spoke, title: 'S family worker', kind: 'frontline', fte: 1, annualCostPerFtePence: 3_300_000 },
      { id: 'post-s-admin', siteId: ids.spoke, title: 'S administrator', kind: 'admin', fte: 0.3333, annualCostPerFtePence: 2_700_001 },
      { id: 'post-a-manager', siteId: ids.standalone, title: 'A manager', kind: 'management', fte: 0.8, annualCostPerFtePence: 5_500_000 },
      { id: 'post-a-family', siteId: ids.standalone, title: 'A family worker', kind: 'frontline', fte: 1.5, annualCostPerFtePence: 3_400_000 },
      { id: 'post-a-admin', siteId: ids.standalone, title: 'A administrator', kind: 'admin', fte: 0.1667, annualCostPerFtePence: 2_700_001 },
    ],
    incomeStreams: [
      {
        id: ids.nhsContract,
        partner: 'NHS trust',
        kind: 'health_contract',
        annualValuePence: 2_000_000,
        startDate: '2020-04-01',
        endDate: null,
        siteId: ids.hub,
        requiresSiteOpen: true,
      },
      {
        id: ids.lettings,
        partner: 'Nursery tenant',
        kind: 'lettings',
        annualValuePence: 500_000,
        startDate: '2024-04-01',
        endDate: '2028-03-31',
        siteId: ids.standalone,
        requiresSiteOpen: true,
      },
      {
        id: ids.grant,
        partner: 'Grant funder',
        kind: 'grant',
        annualValuePence: 1_000_000,
        startDate: '2025-04-01',
        endDate: '2026-09-30',
        siteId: null,
        requiresSiteOpen: false,
      },
    ],
    areas: [
      { id: 'area-1', code: 'E01000001', name: 'L1', lat: 53.4, lon, under5Population: 100, deprivationDecile: 1, idaciDecile: null },
      { id: 'area-2', code: 'E01000002', name: 'L2', lat: 53.415, lon, under5Population: 200, deprivationDecile: 2, idaciDecile: null },
      { id: 'area-3', code: 'E01000003', name: 'L3', lat: 53.43, lon, under5Population: 150, deprivationDecile: 5, idaciDecile: null },
      { id: 'area-4', code: 'E01000004', name: 'L4', lat: 53.45, lon, under5Population: 80, deprivationDecile: 3, idaciDecile: null },
      { id: 'area-5', code: 'E01000005', name: 'L5', lat: 53.385, lon, under5Population: 120, deprivationDecile: 9, idaciDecile: null },
    ],
  };
}

export const baselineNetCostPence = 54_198_631;

/** Year 1 starts 2026-04-01: the next 1 April after 2025-11-01. */
export function fixtureParameters(overrides: ParameterOverrides = {}) {
  return resolveParameters(overrides, '2025-11-01');
}

export function evaluate(actions: ScenarioAction[], overrides: ParameterOverrides = {}, network = threeSiteNetwork()): EvaluationResult {
  return evaluateScenario(network, actions, fixtureParameters(overrides));
}

/** The evaluation of actions that must apply. */
export function evaluated(actions: ScenarioAction[], overrides: ParameterOverrides = {}, network = threeSiteNetwork()): ScenarioEvaluation {
  const result = evaluate(actions, overrides, network);
  if (!result.ok) throw new Error(`expected the actions to apply: ${JSON.stringify(result.errors)}`);
  return result.evaluation;
}
