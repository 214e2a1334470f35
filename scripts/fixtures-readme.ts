// Writes fixtures/README.md from the derived data and the demo's own constants, so that the
// documented mapping and figures cannot drift from what the code does.
import { haversineM } from '../src/domain/geo.js';
import type { SiteRole } from '../src/domain/types.js';
import type { CentreKind } from '../src/demo/roles.js';
import {
  CLOSURE_COST_PENCE,
  HEALTH_CONTRACT_PER_SITE_PENCE,
  HEALTH_PARTNER,
  HOUSING_GRANT_PENCE,
  HOUSING_PARTNER,
  NAO_COST_PER_CENTRE_PENCE,
  ON_COST_RATE,
  PAY_SOURCE,
  costPerFtePence,
  demoPostProfiles,
  demoSiteProfiles,
  formatPounds,
  type LiverpoolDemo,
} from '../src/demo/liverpool.js';
import type { AreaImportRow } from '../src/imports/areas.js';
import { UNDER5_SHARE_OF_0_15 } from '../src/imports/ons-areas.js';
import type { ScenarioAction } from '../src/schemas/scenario.js';

export interface SiteSummary {
  name: string;
  kind: CentreKind;
  role: SiteRole;
  hubName: string | null;
  rule: string;
  hubDistanceM: number | null;
}

export interface CouncilSummary {
  code: string;
  name: string;
  folder: string;
  sites: SiteSummary[];
  areas: AreaImportRow[];
}

const roles: SiteRole[] = ['hub', 'standalone', 'spoke'];

const table = (header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');

const count = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length;

const metres = (value: number | null): string => (value === null ? '' : `${Math.round(value).toLocaleString('en-GB')} m`);

function rolesSection(council: CouncilSummary): string {
  const counts = roles.map((role) => `${count(council.sites, (site) => site.role === role)} ${role}`).join(', ');
  return `### ${council.name} (${council.code}): ${council.sites.length} sites — ${counts}

${table(
  ['site', 'listed as', 'role', 'hub', 'to hub', 'rule'],
  council.sites.map((site) => [site.name, site.kind, site.role, site.hubName ?? '', metres(site.hubDistanceM), site.rule]),
)}`;
}

function areasLine(council: CouncilSummary): string {
  const under5 = council.areas.reduce((sum, area) => sum + area.under5Population, 0);
  const deprived = count(council.areas, (area) => area.deprivationDecile <= 3);
  return `- ${council.name}: ${council.areas.length} LSOAs (2021), ${under5.toLocaleString('en-GB')} under-5s estimated, ${deprived} LSOAs in IMD deciles 1–3.`;
}

function staffPence(role: SiteRole, kinds?: readonly string[]): number {
  return demoPostProfiles
    .filter((profile) => !kinds || kinds.includes(profile.kind))
    .reduce((sum, profile) => sum + Math.round(profile.fteByRole[role] * costPerFtePence(profile.salaryPounds)), 0);
}

function allInPence(role: SiteRole): number {
  const profile = demoSiteProfiles[role];
  return staffPence(role) + profile.annualPremisesCostPence + profile.annualRunningCostPence;
}

const percent = (part: number, whole: number): string => `${Math.round((100 * part) / whole)}%`;

function demoSection(demo: LiverpoolDemo): string {
  const sitesByRole = (role: SiteRole): number => count(demo.sites, (site) => site.role === role);
  const totalFte = demo.posts.reduce((sum, post) => sum + post.fte, 0);
  const networkCost = roles.reduce((sum, role) => sum + sitesByRole(role) * allInPence(role), 0);
  const networkManagement = roles.reduce((sum, role) => sum + sitesByRole(role) * staffPence(role, ['management']), 0);
  const posts = table(
    ['post', 'kind', 'NJC point', 'salary 2024/25', 'cost per FTE', ...roles.map((role) => `FTE at a ${role}`)],
    demoPostProfiles.map((profile) => [
      profile.title,
      profile.kind,
      `SCP ${profile.njcPoint}`,
      formatPounds(profile.salaryPounds * 100),
      formatPounds(costPerFtePence(profile.salaryPounds)),
      ...roles.map((role) => profile.fteByRole[role]),
    ]),
  );
  const profiles = table(
    ['role', 'sites', 'hours a week', 'services', 'premises', 'running', 'staff', 'all-in a year', 'management share'],
    roles.map((role) => {
      const profile = demoSiteProfiles[role];
      return [
        role,
        sitesByRole(role),
        profile.openingHoursPerWeek,
        profile.services.join(', '),
        formatPounds(profile.annualPremisesCostPence),
        formatPounds(profile.annualRunningCostPence),
        formatPounds(staffPence(role)),
        formatPounds(allInPence(role)),
        percent(staffPence(role, ['management']), allInPence(role)),
      ];
    }),
  );
  const income = table(
    ['partner', 'kind', 'a year', 'site', 'needs the site open'],
    demo.incomeStreams.map((stream) => [
      stream.partner,
      stream.kind,
      formatPounds(stream.annualValuePence),
      stream.site && 'name' in stream.site ? stream.site.name : '',
      stream.requiresSiteOpen ? 'yes' : 'no',
    ]),
  );
  const siteNamed = new Map(demo.sites.map((site) => [site.name, site]));
  const distanceNote = (action: ScenarioAction): string => {
    if (action.type !== 'make_spoke') return '';
    const [site, hub] = [siteNamed.get(action.siteId), siteNamed.get(action.hubId)];
    return site && hub ? ` (${metres(haversineM(site, hub))})` : '';
  };
  const scenarios = demo.scenarios
    .map(
      (scenario) =>
        `#### ${scenario.name}\n\n${scenario.description}\n\n` +
        scenario.actions.map((action) => `- \`${JSON.stringify(action)}\`${distanceNote(action)}`).join('\n'),
    )
    .join('\n\n');
  return `## The Liverpool demo (src/demo/liverpool.ts)

\`loadLiverpoolDemo(fixturesDir)\` reads liverpool/sites.csv and liverpool/areas.csv with the import
parsers and adds the illustrative figures below. Sites, their places and roles and the areas are
real data (as above); **every post, cost, hour, service and income figure is illustrative**,
calibrated to the published figures in shared/design/published-figures.md. Money is at 2024/25 pay
rates; the network's shape is that of 2012.

### Posts
Salaries: ${PAY_SOURCE}. Cost per FTE = salary × ${1 + ON_COST_RATE} (on-costs of ${ON_COST_RATE * 100}%
for employer's National Insurance and LGPS pension: a round illustrative figure). Grades are
assumptions; Liverpool's own grades are not published with these figures.

${posts}

### Sites by role

${profiles}

Calibration:
- A standalone centre costs ${formatPounds(allInPence('standalone'))} a year all in, against the National Audit
  Office's "about ${formatPounds(NAO_COST_PER_CENTRE_PENCE)} a year" per centre (2006, as reported; not
  inflated: the NAO figure sets the scale, today's pay sets the split). Premises and running costs are
  what is left after staff.
- Management is ${percent(networkManagement, networkCost)} of the network's ${formatPounds(networkCost)} a year: "about a quarter"
  before clustering (one London borough; about 11% after).
- ${demo.posts.length} posts, ${Math.round(totalFte * 10) / 10} FTE in all: Liverpool had 157 full-time posts in 2015, after
  "cut 20 posts … at the 26 centres" in 2012.
- Hours (hubs full weekday opening, spokes sessions) and services (beyond the listed stay and play and
  baby groups; family hubs list Start for Life services, taken as antenatal and postnatal) are illustrative.

### Income the network already has

${income}

Illustrative: room hire, no published figure.

### Scenarios
Actions as the scenario API takes them, but naming sites (the seeder swaps names for ids with
\`withSiteIds\`). Both options act on the six "Formerly …" sites.

- Closing six standalone centres saves about ${formatPounds(6 * allInPence('standalone'))} a year before
  redundancy, against the "save the council £2m" of 2012. Closure cost ${formatPounds(CLOSURE_COST_PENCE)} a
  site (clearing, making good): illustrative, no published figure; no capital receipt (several sites are
  in schools).
- Keeping them open: each becomes a spoke of its nearest family hub, losing its management posts
  (the hub gains the planning model's hubManagementFtePerSpoke). Partner money: ${formatPounds(HEALTH_CONTRACT_PER_SITE_PENCE)}
  a year from ${HEALTH_PARTNER} at each kept site (lost if the site closes) and
  ${formatPounds(HOUSING_GRANT_PENCE)} from ${HOUSING_PARTNER}, ${formatPounds(6 * HEALTH_CONTRACT_PER_SITE_PENCE + HOUSING_GRANT_PENCE)} in all:
  Liverpool reported "£1.4 million of additional funding from partner agencies including Liverpool
  Clinical Commissioning Group (CCG) every year" (2015); partners "including the NHS and housing
  associations" gave "a combined £1.5m". The split between health and housing is illustrative.

${scenarios}`;
}

export interface SampleCounts {
  registerRows: number;
  centroidRows: number;
}

export function renderFixturesReadme(councils: readonly CouncilSummary[], demo: LiverpoolDemo, samples: SampleCounts): string {
  const files = councils.flatMap((council) => [
    [`${council.folder}/sites.csv`, council.sites.length, `${council.name}'s children's centres and family hubs, in the sites template`],
    [`${council.folder}/areas.csv`, council.areas.length, `${council.name}'s 2021 LSOAs, in the areas template`],
  ]);
  return `# fixtures — small data derived from shared/data

Written by \`node --import tsx scripts/derive-fixtures.ts\` from the open data in ../shared/data
(described in its README.md; \`SHARED_DATA_DIR\` points elsewhere). This README is written by the same
script: edit scripts/fixtures-readme.ts, not this file. The demo and the tests need only this folder.

${table(
  ['file', 'rows', 'what'],
  [
    ...files,
    ['register-sample-1252.csv', samples.registerRows, 'Liverpool sites shaped like a DfE register (GIAS) download, Windows-1252'],
    [
      'lsoa21-pwc-sample.csv',
      samples.centroidRows,
      'every 500th row of the ONS LSOA 2021 population-weighted centroids (BNG and lat/lon), for the conversion test',
    ],
  ],
)}

## Licence and attribution
All of it is derived from data published under the Open Government Licence v3.0:
- Children's centres and family hubs: Department for Education, Get Information about Schools and the
  "List of family hub sites" (as compiled in the repository LabMasd/doddily; see shared/data/README.md).
- Locations: "Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal
  Mail copyright and database right; Source: Office for National Statistics licensed under the OGL v3.0".
- LSOAs, centroids and lookups: "Source: Office for National Statistics licensed under the Open
  Government Licence v.3.0; Contains OS data © Crown copyright and database right".
- Deprivation and population: English Indices of Deprivation 2019, Ministry of Housing, Communities
  and Local Government, OGL v3.0.

## What is real
- sites.csv: \`name\`, \`address\`, \`postcode\` as listed; \`lat\`/\`lon\` the postcode's centroid (ONS
  Postcode Directory), not the building; \`status\` open, as listed. \`role\` and \`hubName\` are
  derived (below). \`urn\` is empty: the source has no URNs, so sites are matched by name and postcode.
  The cost, hours and service columns are empty: the demo fills them with illustrative figures.
- areas.csv: \`code\`, \`name\` (2021 LSOA) and \`lat\`/\`lon\` (ONS population-weighted centroid) are
  real. \`under5Population\` is an estimate, \`deprivationDecile\` the real IMD 2019 decile of a 2011
  LSOA, \`idaciDecile\` derived (below).
- register-sample-1252.csv: real Liverpool names, addresses and postcodes (the first six that are not
  family hubs, in postcode order), with the apostrophes typeset as ’ (byte 0x92 in Windows-1252, to
  test decoding), lines ending CRLF. \`Easting\`/\`Northing\` are the postcode centroid converted with proj4
  (EPSG:27700 with the OSGB36 Helmert transform), rounded to metres as the register does. \`URN\` values
  999001–999006 are placeholders, **not** real URNs; \`LA (code)\` 341 is Liverpool's DfE number.
- lsoa21-pwc-sample.csv: rows copied unchanged.

## Roles
The source lists say what a venue is, not who manages whom. The network is modelled as it was
**before** Liverpool's 2012 decision (when it chose not to close six centres and ran them under
hub-and-spoke management with partner income):
- a family hub is a **hub** (a "Family Hub Satellite" is a **spoke** of its district's hub);
- a "Formerly … Children's Centre" linked site is **standalone**, with its own management: these are
  the six centres of the 2012 decision;
- any other linked site is a **spoke** of the nearest hub (great-circle distance);
- a children's centre is **standalone**: before clustering every centre had its own manager.

For Liverpool the 26 sites match the "26 centres" of 2012, and the 5 family hubs with the 12
children's centres make 17, the number of children's centres in the 2015 reports.

${councils.map(rolesSection).join('\n\n')}

## Areas
Built by \`buildAreasForLocalAuthority\` (src/imports/ons-areas.ts) for each council's 2021 LSOAs:
- under-5s = the IoD2019 mid-2015 population aged 0–15 × ${UNDER5_SHARE_OF_0_15} (5/16, five of sixteen single years;
  slightly low, as England's 0–4 share of 0–15 was nearer 0.33), rounded to whole children per LSOA;
- a 2011 LSOA split into several 2021 LSOAs is shared equally among them; merged ones add up;
- deciles come from the 2011 LSOA contributing most under-5s;
- idaciDecile: the data's IDACI rank is over England and Wales; England's LSOAs are re-ranked by it
  (equal ranks stay equal) and cut into deciles as MHCLG does (decile = ⌈10 × rank ÷ 32,844⌉, which
  reproduces every published IMD decile from its rank). This equals the official English IDACI decile
  when the combined ranking keeps England's order, which it does by score.

${councils.map(areasLine).join('\n')}

${demoSection(demo)}
`;
}
