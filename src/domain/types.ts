// Plain data the planning logic works on: no Fastify, no SQL. Routes load these from the database.

export const siteRoles = ['hub', 'spoke', 'standalone', 'venue'] as const;
export type SiteRole = (typeof siteRoles)[number];

export const siteStatuses = ['open', 'closed'] as const;
export type SiteStatus = (typeof siteStatuses)[number];

export const serviceKinds = [
  'antenatal',
  'postnatal',
  'health_visiting',
  'stay_and_play',
  'parenting_support',
  'employment_advice',
  'childcare',
  'speech_and_language',
  'family_support',
  'other',
] as const;
export type ServiceKind = (typeof serviceKinds)[number];

export const postKinds = ['management', 'frontline', 'admin'] as const;
export type PostKind = (typeof postKinds)[number];

export const incomeKinds = ['health_contract', 'lettings', 'grant', 'childcare_fees', 'other'] as const;
export type IncomeKind = (typeof incomeKinds)[number];

export interface Site {
  id: string;
  name: string;
  role: SiteRole;
  /** Set exactly when the site is run from a hub: role 'spoke' or 'venue' (network-rules.ts, runFromHub). */
  hubId: string | null;
  status: SiteStatus;
  lat: number;
  lon: number;
  openingHoursPerWeek: number;
  services: ServiceKind[];
  annualPremisesCostPence: number;
  annualRunningCostPence: number;
  /** Capital grant the DfE may claw back on closure within 25 years of capitalGrantDate; 0 when none. */
  capitalClawbackPence?: number;
  capitalGrantDate?: string | null;
  clawbackProbability?: number;
}

export interface Post {
  id: string;
  siteId: string;
  title: string;
  kind: PostKind;
  /** Full-time equivalent, at most 4 decimal places. */
  fte: number;
  /** Salary plus on-costs for one FTE, integer pence. */
  annualCostPerFtePence: number;
}

export interface IncomeStream {
  id: string;
  partner: string;
  kind: IncomeKind;
  annualValuePence: number;
  /** YYYY-MM-DD */
  startDate: string;
  /** YYYY-MM-DD, inclusive; null when open-ended. */
  endDate: string | null;
  siteId: string | null;
  /** The income is lost if its site closes. */
  requiresSiteOpen: boolean;
  /** Chance (0–1) the contract is renewed on the same terms after its end date; 0 when absent. */
  renewalProbability?: number;
}

export interface Area {
  id: string;
  code: string;
  name: string;
  lat: number;
  lon: number;
  under5Population: number;
  /** IMD 2019 decile: 1 = most deprived 10% of LSOAs in England. */
  deprivationDecile: number;
  idaciDecile: number | null;
}

export const centralCostCategories = ['back_office', 'central_management', 'commissioning', 'other'] as const;
export type CentralCostCategory = (typeof centralCostCategories)[number];

/**
 * A post or a budget line of the council's network that belongs to no site (back office, central
 * management, a commissioning budget). A post has `fte` and `annualCostPerFtePence`; a budget line
 * has `annualBudgetPence`; the other fields are null.
 */
export interface CentralCost {
  id: string;
  title: string;
  category: CentralCostCategory;
  fte: number | null;
  annualCostPerFtePence: number | null;
  annualBudgetPence: number | null;
}

export const cohortBases = ['births', 'under5s', 'deprived_under5s', 'households'] as const;
export type CohortBasis = (typeof cohortBases)[number];

/** An outcome for children valued in the economic case (outcomes-model.md). */
export interface Outcome {
  id: string;
  name: string;
  sourceRef: string;
  priceYear: string;
  illustrative: boolean;
  cohortBasis: CohortBasis;
  under5sPerHousehold: number | null;
  engagementRate: number;
  impactRate: number;
  impactRateLow: number | null;
  impactRateHigh: number | null;
  deadweight: number;
  attribution: number;
  optimismBias: number;
  lagYears: number;
  durationYears: number;
  dropOff: number;
  fiscalValuePence: number;
  economicValuePence: number;
  socialValuePence: number;
  priceUplift: number;
  agency: string;
  cashability: number;
}

export interface Network {
  sites: Site[];
  posts: Post[];
  incomeStreams: IncomeStream[];
  areas: Area[];
  /** Absent: none. */
  centralCosts?: readonly CentralCost[];
  /** The outcomes the economic case values; none when absent. */
  outcomes?: Outcome[];
}
