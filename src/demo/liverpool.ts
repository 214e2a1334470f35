// The demo network: Liverpool's real children's centres and LSOAs (fixtures/liverpool/*.csv) with
// illustrative posts, costs and income calibrated to published figures, and the two options the
// council weighed in 2012. fixtures/README.md lists which figures are real and where each
// illustrative one comes from; it is written from the constants below by scripts/derive-fixtures.ts.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { PostKind, ServiceKind, SiteRole } from '../domain/types.js';
import { parseAreas, type AreaImportRow } from '../imports/areas.js';
import type { IncomeStreamImportRow } from '../imports/income-streams.js';
import type { PostImportRow } from '../imports/posts.js';
import type { CsvSource } from '../imports/csv.js';
import { readAllRows, type RowStream } from '../imports/rows.js';
import { parseSites, type SiteImportRow } from '../imports/sites.js';
import type { ScenarioAction } from '../schemas/scenario.js';
import { isFormerCentre, nearest } from './roles.js';
import { projectPath } from '../paths.js';

export const liverpoolCouncil = { code: 'E08000012', name: 'Liverpool' } as const;

/** The repository's fixtures folder. */
export const defaultFixturesDir = projectPath('fixtures');

// ---- Illustrative figures ------------------------------------------------------------------------

export const PAY_SOURCE = 'NJC for Local Government Services pay spine 2024/25 (from 1 April 2024)';

/** Employer's National Insurance and LGPS pension on top of salary: a round, illustrative 30%. */
export const ON_COST_RATE = 0.3;

/** National Audit Office (2006, as reported): about £380,000 a year to run a children's centre. */
export const NAO_COST_PER_CENTRE_PENCE = 38_000_000;

export interface DemoPostProfile {
  title: string;
  kind: PostKind;
  /** Spinal column point of the NJC pay spine, and its 2024/25 salary. */
  njcPoint: number;
  salaryPounds: number;
  fteByRole: Record<SiteRole, number>;
}

const post = (title: string, kind: PostKind, njcPoint: number, salaryPounds: number, fte: [number, number, number]) => ({
  title,
  kind,
  njcPoint,
  salaryPounds,
  // A venue has no staff base: its sessions are staffed from its hub.
  fteByRole: { hub: fte[0], standalone: fte[1], spoke: fte[2], venue: 0 },
});

/**
 * Staffing by role. A standalone centre's posts plus its premises and running costs come to the NAO
 * figure, management being about a quarter of it; across the 26 sites the posts total 177 FTE, the
 * 157 posts of 2015 plus the 20 cut in 2012.
 */
export const demoPostProfiles: readonly DemoPostProfile[] = [
  // title, kind, NJC spinal column point, 2024/25 salary (£), FTE at a [hub, standalone, spoke]
  post('Centre manager', 'management', 38, 47_754, [1, 1, 0]),
  post('Deputy centre manager', 'management', 31, 40_476, [1, 0.5, 0]),
  post('Family support worker', 'frontline', 17, 30_060, [3.5, 2.5, 1.5]),
  post('Early years practitioner', 'frontline', 9, 26_409, [2, 2, 1]),
  post('Administrator', 'admin', 6, 25_183, [1.2, 1, 0]),
];

/** "£25,000" from 2_500_000 pence; "£62,080.20" when there are pence. */
export const formatPounds = (pence: number): string => `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: pence % 100 === 0 ? 0 : 2 })}`;

/** Salary plus on-costs, integer pence. */
export const costPerFtePence = (salaryPounds: number): number => Math.round(salaryPounds * (1 + ON_COST_RATE) * 100);

export interface DemoSiteProfile {
  openingHoursPerWeek: number;
  services: ServiceKind[];
  annualPremisesCostPence: number;
  annualRunningCostPence: number;
}

/** Hours, services and non-staff costs by role. Every venue's listing offers stay and play and baby groups. */
export const demoSiteProfiles: Record<SiteRole, DemoSiteProfile> = {
  hub: {
    openingHoursPerWeek: 50,
    services: ['antenatal', 'postnatal', 'health_visiting', 'stay_and_play', 'parenting_support', 'speech_and_language', 'family_support', 'employment_advice'],
    annualPremisesCostPence: 7_000_000,
    annualRunningCostPence: 6_000_000,
  },
  standalone: {
    openingHoursPerWeek: 40,
    services: ['health_visiting', 'stay_and_play', 'parenting_support', 'family_support', 'employment_advice'],
    annualPremisesCostPence: 4_500_000,
    annualRunningCostPence: 4_750_000,
  },
  spoke: {
    openingHoursPerWeek: 20,
    services: ['stay_and_play', 'family_support'],
    annualPremisesCostPence: 2_000_000,
    annualRunningCostPence: 1_500_000,
  },
  // Illustrative: two sessions a week in hired rooms (premises: the hire), staffed from the hub.
  venue: {
    openingHoursPerWeek: 6,
    services: ['stay_and_play', 'health_visiting'],
    annualPremisesCostPence: 1_000_000,
    annualRunningCostPence: 500_000,
  },
};

/** Income the network already had: room hire at two hubs. */
const roomHire = (siteName: string, annualValuePence: number): IncomeStreamImportRow => ({
  partner: 'Community groups (room hire)',
  kind: 'lettings',
  annualValuePence,
  startDate: '2012-04-01',
  endDate: null,
  site: { name: siteName },
  requiresSiteOpen: true,
});

export const demoIncomeStreams: readonly IncomeStreamImportRow[] = [roomHire('Picton Family Hub', 1_500_000), roomHire('Granby Family Hub', 1_000_000)];

/** One-off cost of closing a site (clearing, making good, moving services): no published figure. */
export const CLOSURE_COST_PENCE = 2_500_000;

/**
 * Partner funding in the "keep all open" option, £1.4m a year as Liverpool reported in 2015: the
 * NHS (Liverpool CCG) pays for health services at each kept site, housing associations the rest.
 */
export const HEALTH_PARTNER = 'Liverpool Clinical Commissioning Group (NHS)';
export const HEALTH_CONTRACT_PER_SITE_PENCE = 20_000_000;
export const HOUSING_PARTNER = 'Housing associations (combined)';
export const HOUSING_GRANT_PENCE = 20_000_000;

// ---- The demo ------------------------------------------------------------------------------------

/** A demo site: the fixture's row with the illustrative figures filled in. */
export type DemoSite = SiteImportRow & DemoSiteProfile;

/**
 * A scenario as the API takes it, except that siteId, hubId, relocateIncomeToSiteId and each
 * redeployment's toSiteId hold site names (the demo sites have no URN) until the seeder resolves them
 * with withSiteIds.
 */
export interface DemoScenario {
  name: string;
  description: string;
  actions: ScenarioAction[];
}

export interface LiverpoolDemo {
  council: typeof liverpoolCouncil;
  /** Hubs first, so that every spoke's hub is created before it. Spokes name their hub by name. */
  sites: DemoSite[];
  posts: PostImportRow[];
  incomeStreams: IncomeStreamImportRow[];
  areas: AreaImportRow[];
  scenarios: DemoScenario[];
}

const siteFields = ['siteId', 'hubId', 'relocateIncomeToSiteId'] as const;

/** The action with its site names replaced by ids. */
export function withSiteIds(action: ScenarioAction, idOf: (siteName: string) => string): ScenarioAction {
  const resolved: Record<string, unknown> = { ...action };
  for (const field of siteFields) {
    const name = resolved[field];
    if (typeof name === 'string') resolved[field] = idOf(name);
  }
  if (Array.isArray(resolved.redeploy)) {
    resolved.redeploy = resolved.redeploy.map((redeployment: { toSiteId: string }) => ({ ...redeployment, toSiteId: idOf(redeployment.toSiteId) }));
  }
  return resolved as ScenarioAction;
}

async function readFixture<T>(file: string, parse: (source: CsvSource) => RowStream<T>): Promise<T[]> {
  const { rows, report } = await readAllRows(parse(createReadStream(file)));
  if (!report.ok) {
    const problems = report.errors.map((error) => `line ${error.line} ${error.column ?? ''}: ${error.reason}`);
    throw new Error(`${file} is not a valid fixture: ${problems.join('; ')}`);
  }
  return rows;
}

function demoPosts(site: DemoSite): PostImportRow[] {
  return demoPostProfiles
    .filter((profile) => profile.fteByRole[site.role] > 0)
    .map((profile) => ({
      site: { name: site.name },
      title: profile.title,
      kind: profile.kind,
      fte: profile.fteByRole[site.role],
      annualCostPerFtePence: costPerFtePence(profile.salaryPounds),
    }));
}

function closeFormerCentres(formerCentres: readonly DemoSite[]): DemoScenario {
  return {
    name: 'Close 6 centres',
    description:
      'Close the six former children\'s centres (the register\'s "Formerly …" linked sites) with their posts, ' +
      `at an illustrative one-off cost of ${formatPounds(CLOSURE_COST_PENCE)} each besides redundancy.`,
    actions: formerCentres.map((site) => ({ type: 'close_site', siteId: site.name, oneOffCostPence: CLOSURE_COST_PENCE })),
  };
}

/** The frontline FTE of a standalone centre, all of which moves to the hub when it becomes a venue. */
const standaloneFrontlineFte = demoPostProfiles
  .filter((profile) => profile.kind === 'frontline')
  .reduce((sum, profile) => sum + profile.fteByRole.standalone, 0);

function keepAsVenues(formerCentres: readonly DemoSite[], hubs: readonly DemoSite[]): DemoScenario {
  const venue = demoSiteProfiles.venue;
  return {
    name: 'Keep the six as venues run from their hubs',
    description:
      "Turn the six former children's centres into venues of their nearest family hub: two sessions a week " +
      `(${venue.services.join(' and ').replaceAll('_', ' ')}) in hired rooms at ${formatPounds(venue.annualPremisesCostPence + venue.annualRunningCostPence)} a year each, ` +
      'staffed from the hub; their frontline staff are redeployed to the hub, their management and admin posts go.',
    actions: formerCentres.map((site): ScenarioAction => {
      const hub = nearest(site, hubs);
      if (!hub) throw new Error('the Liverpool fixture has no hub');
      return {
        type: 'make_venue',
        siteId: site.name,
        hubId: hub.site.name,
        ...venue,
        services: [...venue.services],
        redeploy: [{ kind: 'frontline', fte: standaloneFrontlineFte, toSiteId: hub.site.name }],
      };
    }),
  };
}

function keepAllOpen(formerCentres: readonly DemoSite[], hubs: readonly DemoSite[]): DemoScenario {
  const makeSpokes = formerCentres.map((site): ScenarioAction => {
    const hub = nearest(site, hubs);
    if (!hub) throw new Error('the Liverpool fixture has no hub');
    return { type: 'make_spoke', siteId: site.name, hubId: hub.site.name };
  });
  const healthContracts = formerCentres.map(
    (site): ScenarioAction => ({
      type: 'add_income',
      partner: HEALTH_PARTNER,
      kind: 'health_contract',
      annualValuePence: HEALTH_CONTRACT_PER_SITE_PENCE,
      siteId: site.name,
      requiresSiteOpen: true,
    }),
  );
  const housing: ScenarioAction = {
    type: 'add_income',
    partner: HOUSING_PARTNER,
    kind: 'grant',
    annualValuePence: HOUSING_GRANT_PENCE,
    requiresSiteOpen: false,
  };
  return {
    name: 'Keep all open: hub-and-spoke management plus health income',
    description:
      "Keep the six former children's centres open as spokes of their nearest family hub (their own management " +
      'posts go; the hubs gain a share of management), paid for partly by a health contract with the NHS at each ' +
      'kept site and a housing-association grant: £1.4m a year in all, as Liverpool reported in 2015.',
    actions: [...makeSpokes, ...healthContracts, housing],
  };
}

/** The Liverpool demo as plain data, read from fixturesDir/liverpool/{sites,areas}.csv. */
export async function loadLiverpoolDemo(fixturesDir: string = defaultFixturesDir): Promise<LiverpoolDemo> {
  const folder = join(fixturesDir, 'liverpool');
  const [siteRows, areas] = await Promise.all([readFixture(join(folder, 'sites.csv'), parseSites), readFixture(join(folder, 'areas.csv'), parseAreas)]);
  const roleOrder: SiteRole[] = ['hub', 'standalone', 'spoke'];
  const sites = siteRows
    .map((site): DemoSite => ({ ...site, ...demoSiteProfiles[site.role] }))
    .sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role));
  const hubs = sites.filter((site) => site.role === 'hub');
  const formerCentres = sites.filter((site) => isFormerCentre(site.name));
  return {
    council: liverpoolCouncil,
    sites,
    posts: sites.flatMap(demoPosts),
    incomeStreams: [...demoIncomeStreams],
    areas,
    scenarios: [closeFormerCentres(formerCentres), keepAllOpen(formerCentres, hubs), keepAsVenues(formerCentres, hubs)],
  };
}
