// Inputs and outputs of the planning core (src/domain): scenario actions, parameters, the evaluation
// and the comparison of options. Every schema converts with z.toJSONSchema (no transforms).
import { z } from 'zod';
import { maxListedAreas } from '../domain/list-limits.js';
import { parameterDefaults, parameterSources } from '../domain/parameter-defaults.js';
import { centralCostCategories, incomeKinds, postKinds, serviceKinds, siteRoles } from '../domain/types.js';
import { dateSchema, decimalNumber, latSchema, lonSchema, penceSchema, uuidSchema, withLimit } from './common.js';
import { comparedMonteCarloSchema, economicCaseSchema, expectedSchema, provenanceSchema, rankMeasures, uncertaintySchema } from './economics.js';
import { amountPenceSchema, clusterSchema, siteCountsSchema, staffFiguresSchema } from './network-summary.js';

/** Money that may be negative (savings, deltas, net figures), integer pence. */
export const signedPenceSchema = z.int().describe('Money in integer pence; negative where it says so');
const idSchema = z.string().max(100).describe('An id: a UUID, or for posts and income added by a scenario, `action-{index}-…`');
const nameSchema = z.string().max(200);
const fteSchema = decimalNumber(4);
const shareSchema = z.number().min(0).max(1).nullable().describe('0 to 1; null when there is nobody to share among');
const metresSchema = z.number().min(0).nullable().describe('Metres, rounded to whole metres; null when there is no open site');
const minutesSchema = z.number().min(0).nullable().describe('Walking minutes to 0.1; null when there is no open site');
const actionIndexSchema = z.int().min(0).describe('Position (0-based) of the action in the scenario');

/**
 * What a council's planning needs, and what bounds the work of one evaluation (README "Limits"): an area
 * is reached by a walk or a short drive to a centre, so 20 km covers the widest rural catchment; the
 * horizon of a Green Book appraisal of services (not buildings); a restructuring of a large county's
 * network, action by action.
 */
export const scenarioLimits = { maxRadiusM: 20_000, maxHorizonYears: 30, maxActions: 500 } as const;

// ── Parameters ────────────────────────────────────────────────────────────────────────────────────

function documented<T extends z.ZodType>(schema: T, name: keyof typeof parameterSources, meaning: string, example: unknown): T {
  const defaultText = name === 'startDate' ? '' : ` Default ${JSON.stringify(parameterDefaults[name])}.`;
  return schema.describe(`${meaning}${defaultText} Source: ${parameterSources[name]}.`).meta({ examples: [example] });
}

const parameterFields = {
  radiusM: documented(
    withLimit(z.number().min(1), scenarioLimits.maxRadiusM),
    'radiusM',
    'An area is covered when its nearest open site is within this many metres.',
    1609,
  ),
  deprivedDeciles: documented(
    z.array(z.int().min(1).max(10)).max(10),
    'deprivedDeciles',
    'IMD deciles counted as deprived for the deprived-reach figures.',
    [1, 2, 3],
  ),
  horizonYears: documented(withLimit(z.int().min(1), scenarioLimits.maxHorizonYears), 'horizonYears', 'Years of cash flow after the change.', 5),
  discountRate: documented(z.number().min(0).max(0.5), 'discountRate', 'Real discount rate a year for the NPV.', 0.035),
  redundancyMonths: documented(decimalNumber(2).min(0).max(36), 'redundancyMonths', 'One-off cost of each FTE removed, in months of its annual cost.', 6),
  hubManagementFtePerSpoke: documented(fteSchema.min(0).max(10), 'hubManagementFtePerSpoke', 'Management FTE a hub gains for each site made its spoke.', 0.2),
  hubManagementCostPerFtePence: documented(
    penceSchema,
    'hubManagementCostPerFtePence',
    'Cost per FTE of that management when the hub has no management post to take a mean from (pence a year, salary plus on-costs).',
    5_850_000,
  ),
  walkingSpeedMPerMin: documented(z.number().min(10).max(200), 'walkingSpeedMPerMin', 'Walking speed, metres a minute.', 80),
  detourFactor: documented(z.number().min(1).max(3), 'detourFactor', 'Street distance over straight-line distance.', 1.3),
  maxSpokeDistanceM: documented(z.number().min(1).max(100_000), 'maxSpokeDistanceM', 'Warn when a spoke is further than this from its hub (metres).', 5000),
  maxSpokesPerHub: documented(z.int().min(1).max(100), 'maxSpokesPerHub', 'Warn when a hub has more open spokes than this.', 6),
  consultationHoursCutShare: documented(
    z.number().min(0).max(1),
    'consultationHoursCutShare',
    'A cut in opening hours of more than this share of the baseline hours is a significant change needing consultation.',
    0.1,
  ),
  vacantOrRedeployedShare: documented(
    decimalNumber(4).min(0).max(1),
    'vacantOrRedeployedShare',
    'Share of the FTE removed (not named as redeployed) that is vacant or redeployed anyway: it costs no redundancy.',
    0.2,
  ),
  startDate: documented(dateSchema, 'startDate', 'First day of scenario year 1 (YYYY-MM-DD); the changes take effect that day.', '2026-04-01'),
  benefitHorizonYears: documented(
    z.int().min(1).max(60),
    'benefitHorizonYears',
    'Years of outcome value counted in the economic case (at least horizonYears are counted): cohorts reached in years 1 to horizonYears benefit after their lag.',
    10,
  ),
  savingsSlippage: documented(z.number().min(0).max(1), 'savingsSlippage', "Share of each year's planned saving not delivered (expected values).", 0.1),
  savingsSlippageLow: documented(z.number().min(0).max(1).nullable(), 'savingsSlippageLow', 'Low value of savingsSlippage for the sensitivity analysis.', 0),
  savingsSlippageHigh: documented(z.number().min(0).max(1).nullable(), 'savingsSlippageHigh', 'High value of savingsSlippage.', 0.3),
  savingsRamp: documented(
    z.array(z.number().min(0).max(1)).max(30),
    'savingsRamp',
    'Share of the planned saving delivered in each year from year 1 (years after the list: all of it).',
    [0.5, 1],
  ),
  oneOffOptimismBias: documented(
    z.number().min(0).max(2),
    'oneOffOptimismBias',
    'Share added to one-off redundancy, closure and capital costs for optimism bias.',
    0.2,
  ),
  oneOffOptimismBiasLow: documented(z.number().min(0).max(2).nullable(), 'oneOffOptimismBiasLow', 'Low value of oneOffOptimismBias.', 0),
  oneOffOptimismBiasHigh: documented(z.number().min(0).max(2).nullable(), 'oneOffOptimismBiasHigh', 'High value of oneOffOptimismBias.', 0.5),
  clawbackYears: documented(
    z.int().min(0).max(100),
    'clawbackYears',
    "A closure or transfer triggers a site's capital clawback when year 1 starts within this many years of its capitalGrantDate.",
    25,
  ),
  coreOffer: documented(
    z
      .array(z.enum(serviceKinds))
      .max(serviceKinds.length)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a service'),
    'coreOffer',
    "The services of the council's core offer: reach.coreOffer counts an area as reached when one open site within radiusM offers every one of them. Empty: no core-offer figure.",
    ['health_visiting', 'stay_and_play', 'family_support'],
  ),
  renewalProbabilityOverrides: documented(
    z.record(uuidSchema, z.number().min(0).max(1)),
    'renewalProbabilityOverrides',
    "Renewal probability (0 to 1) by income stream id, in place of the stream's own.",
    { '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f': 0.5 },
  ),
};

export const parameterOverridesSchema = z
  .strictObject(parameterFields)
  .partial()
  .describe('Scenario parameters; every one is optional and takes its default when absent.')
  .meta({ id: 'ScenarioParameterOverrides', examples: [{ radiusM: 2000, horizonYears: 10 }] });
export type ParameterOverrides = z.input<typeof parameterOverridesSchema>;

export const scenarioParametersSchema = z
  .object(parameterFields)
  .describe('The parameters an evaluation used, defaults filled in.')
  .meta({ id: 'ScenarioParameters' });
export type ScenarioParameters = z.output<typeof scenarioParametersSchema>;

// ── Actions ───────────────────────────────────────────────────────────────────────────────────────

const siteIdField = uuidSchema.describe("A site of this council's network");
const exampleSiteId = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const exampleHubId = '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';

const redeploymentSchema = z
  .union([
    z.strictObject({
      postId: idSchema.describe('A post at the site, moved whole'),
      toSiteId: uuidSchema.describe('An open site, not the one losing the post'),
    }),
    z.strictObject({
      kind: z.enum(postKinds),
      fte: fteSchema.min(0.0001).max(100).describe("FTE of the kind moved: the site's most recently listed posts of that kind first"),
      toSiteId: uuidSchema.describe('An open site, not the one losing the posts'),
    }),
  ])
  .describe('Posts that move to another open site instead of being removed: they keep their cost and cost no redundancy');
const redeployField = z
  .array(redeploymentSchema)
  .max(100)
  .optional()
  .describe('Posts this action would remove that move to other open sites instead (listed apart as redeployed, no redundancy)');

const effectiveDateField = dateSchema
  .optional()
  .describe(
    "The day the action takes effect, within the horizon; default the scenario's startDate. Actions take effect in list order: a date may not be before the previous action's",
  );

const action = <K extends string, T extends z.ZodRawShape>(type: K, shape: T, description: string, example: object) =>
  z
    .strictObject({ type: z.literal(type), ...shape, effectiveDate: effectiveDateField })
    .describe(description)
    .meta({ title: `${type[0]!.toUpperCase()}${type.slice(1).replaceAll('_', ' ')}`, examples: [{ type, ...example }] });

export const closeSiteActionSchema = action(
  'close_site',
  {
    siteId: siteIdField,
    oneOffCostPence: penceSchema.optional().describe('One-off closure cost (e.g. decommissioning, dilapidations), pence, year 0'),
    capitalReceiptPence: penceSchema.optional().describe('Capital receipt from disposing of the premises, pence, year 0'),
    relocateIncomeToSiteId: uuidSchema
      .optional()
      .describe("An open site that takes over the closing site's income streams, which are otherwise lost when they need the site open"),
    redeploy: redeployField,
  },
  'Close an open site: its posts are removed (redundancy) except those redeployed to other open sites, its premises and running costs stop, its site-bound income is lost unless relocated. A hub must have no open spokes left.',
  {
    siteId: exampleSiteId,
    oneOffCostPence: 1_500_000,
    capitalReceiptPence: 25_000_000,
    redeploy: [{ kind: 'frontline', fte: 2, toSiteId: exampleHubId }],
  },
);
export const reopenSiteActionSchema = action(
  'reopen_site',
  { siteId: siteIdField },
  "Reopen a closed site: its premises and running costs resume, with no staff (add them with change_posts). A spoke's hub must be open.",
  { siteId: exampleSiteId },
);
export const makeSpokeActionSchema = action(
  'make_spoke',
  {
    siteId: siteIdField,
    hubId: uuidSchema.describe('An open hub'),
    redeploy: redeployField.describe('Management posts of the site that move to other open sites instead of being removed'),
  },
  "Make an open site a spoke of an open hub: the site's management posts are removed (redundancy) unless redeployed, and the hub gains hubManagementFtePerSpoke FTE of management.",
  { siteId: exampleSiteId, hubId: exampleHubId, redeploy: [{ kind: 'management', fte: 0.5, toSiteId: exampleHubId }] },
);
export const makeHubActionSchema = action('make_hub', { siteId: siteIdField }, 'Make a site a hub.', { siteId: exampleSiteId });
export const makeStandaloneActionSchema = action(
  'make_standalone',
  { siteId: siteIdField },
  'Make a site standalone (its own management). A hub must have no open spokes left.',
  { siteId: exampleSiteId },
);
export const addIncomeActionSchema = action(
  'add_income',
  {
    partner: nameSchema.min(1).describe('Who pays, e.g. an NHS trust'),
    kind: z.enum(incomeKinds),
    annualValuePence: penceSchema,
    siteId: uuidSchema.optional().describe('The site the income is tied to'),
    requiresSiteOpen: z.boolean().describe('The income is lost if its site closes; needs siteId'),
    startYear: z.int().min(1).max(30).optional().describe('First scenario year (1-based) with this income; default 1'),
    endYear: z.int().min(1).max(30).optional().describe('Last scenario year with this income, inclusive; default open-ended'),
  },
  'Add an income stream, active for whole scenario years startYear..endYear.',
  {
    partner: 'Liverpool University Hospitals NHS Foundation Trust',
    kind: 'health_contract',
    annualValuePence: 4_000_000,
    siteId: exampleSiteId,
    requiresSiteOpen: true,
    startYear: 1,
    endYear: 3,
  },
);
export const removeIncomeActionSchema = action(
  'remove_income',
  { incomeStreamId: uuidSchema.describe("One of this council's income streams") },
  'Remove an income stream (e.g. a contract not renewed).',
  { incomeStreamId: exampleSiteId },
);
export const changePostsActionSchema = action(
  'change_posts',
  {
    siteId: siteIdField,
    kind: z.enum(postKinds),
    fteDelta: fteSchema
      .min(-100)
      .max(100)
      .refine((delta) => delta !== 0, 'must not be 0')
      .describe('FTE to add (positive) or remove (negative); removals take the most recently listed posts of that kind first and count for redundancy'),
    annualCostPerFtePence: penceSchema
      .optional()
      .describe("Cost per FTE of added posts; default the FTE-weighted mean of the site's posts of that kind, else of the network's"),
    redeployToSiteId: uuidSchema.optional().describe('With a removal: an open site the removed FTE move to, keeping their cost, with no redundancy'),
  },
  'Add or remove FTE of a kind of post at an open site; removed FTE may be redeployed to another open site instead.',
  { siteId: exampleSiteId, kind: 'frontline', fteDelta: -1.5 },
);
export const changeHoursActionSchema = action(
  'change_hours',
  {
    siteId: siteIdField,
    openingHoursPerWeek: decimalNumber(2).min(0).max(168),
    scaleStaffKinds: z
      .array(z.enum(postKinds))
      .max(postKinds.length)
      .refine((kinds) => new Set(kinds).size === kinds.length, 'must not repeat a kind')
      .optional()
      .describe(
        "Kinds of post whose FTE at the site scales with the hours too (to 0.0001 FTE, rounded): a cut removes the most recently listed posts first (redundancy), a rise adds a post at the site's mean cost per FTE of the kind",
      ),
  },
  "Change an open site's opening hours: its running cost scales in proportion (premises cost does not), and so does the FTE of the kinds of post named in scaleStaffKinds.",
  { siteId: exampleSiteId, openingHoursPerWeek: 25, scaleStaffKinds: ['frontline'] },
);

const siteServicesField = z
  .array(z.enum(serviceKinds))
  .max(serviceKinds.length)
  .refine((list) => new Set(list).size === list.length, 'must not repeat a service');

export const makeVenueActionSchema = action(
  'make_venue',
  {
    siteId: siteIdField,
    hubId: uuidSchema.describe('An open hub: it runs the venue and its staff deliver the sessions there'),
    services: siteServicesField.describe('The services the venue still hosts; every other service of the site is withdrawn there'),
    openingHoursPerWeek: decimalNumber(2).min(0).max(168).describe('Hours a week the venue is open for sessions'),
    annualPremisesCostPence: penceSchema.describe("The venue's premises cost a year, pence (e.g. the hire of rooms)"),
    annualRunningCostPence: penceSchema.describe("The venue's running cost a year, pence"),
    keepPosts: z
      .array(z.strictObject({ kind: z.enum(postKinds), fte: fteSchema.min(0.0001).max(100) }))
      .max(postKinds.length)
      .optional()
      .describe("A small staff base kept at the venue: FTE of each kind that stays (the site's first listed posts of the kind); default none"),
    redeploy: redeployField,
    oneOffCostPence: penceSchema.optional().describe('One-off cost of the change (e.g. works), pence, counted with closure costs'),
  },
  'Downgrade an open site to a venue run from an open hub, in one step: its role becomes venue, its services, hours, premises and running cost become those given, and its posts are removed (redundancy) except those kept (keepPosts) or redeployed. A hub must have no spokes left.',
  {
    siteId: exampleSiteId,
    hubId: exampleHubId,
    services: ['stay_and_play', 'health_visiting'],
    openingHoursPerWeek: 6,
    annualPremisesCostPence: 1_200_000,
    annualRunningCostPence: 700_000,
    redeploy: [{ kind: 'frontline', fte: 2, toSiteId: exampleHubId }],
  },
);

const clusterSiteIdField = uuidSchema.describe('The hub or one of the spokes of the cluster');
const managementFteField = fteSchema.min(0.0001).max(100);

export const formClusterActionSchema = action(
  'form_cluster',
  {
    hubId: uuidSchema.describe('An open hub, or an open standalone site that becomes the hub'),
    spokeIds: z
      .array(uuidSchema)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a site')
      .describe('Open sites that become spokes of the hub (a spoke or venue of it already stays as it is)'),
    management: z
      .strictObject({
        keep: z
          .array(
            z.union([
              z.strictObject({ postId: idSchema.describe('A management post at the hub or a spoke, kept where it is') }),
              z.strictObject({
                siteId: clusterSiteIdField,
                fte: managementFteField.describe("Management FTE kept there: the site's first listed management posts"),
              }),
            ]),
          )
          .max(200)
          .optional(),
        move: z
          .array(
            z.union([
              z.strictObject({
                postId: idSchema.describe('A management post at the hub or a spoke'),
                toSiteId: uuidSchema.describe('An open site it moves to'),
              }),
              z.strictObject({
                fromSiteId: clusterSiteIdField,
                fte: managementFteField.describe("Management FTE moved: the site's most recently listed management posts not named elsewhere"),
                toSiteId: uuidSchema.describe('An open site they move to'),
              }),
            ]),
          )
          .max(200)
          .optional()
          .describe('Management posts that move (redeployed: they keep their cost, no redundancy)'),
        add: z
          .array(
            z.strictObject({
              siteId: clusterSiteIdField,
              title: nameSchema.min(1).describe('e.g. Locality manager'),
              fte: managementFteField,
              annualCostPerFtePence: penceSchema.describe('Salary plus on-costs of one FTE at its grade, pence a year'),
            }),
          )
          .max(50)
          .optional()
          .describe('New management posts of the cluster'),
      })
      .describe(
        "The cluster's management establishment. Every management post at the hub and the spokes that is neither kept nor moved is removed (redundancy)",
      ),
  },
  "Form a cluster and state its management team: the spokes become spokes of the hub; the management posts of the hub and spokes are kept, moved or removed as stated, and new ones added. hubManagementFtePerSpoke does not apply (make_spoke's simple rule). Frontline and admin posts stay: change them with change_posts.",
  {
    hubId: exampleHubId,
    spokeIds: [exampleSiteId],
    management: {
      keep: [{ siteId: exampleSiteId, fte: 0.5 }],
      add: [{ siteId: exampleHubId, title: 'Locality manager', fte: 1, annualCostPerFtePence: 6_500_000 }],
    },
  },
);

export const transferSiteActionSchema = action(
  'transfer_site',
  {
    siteId: siteIdField,
    provider: nameSchema.min(1).describe('Who takes the site over, e.g. a school or a voluntary provider'),
    annualPaymentPence: penceSchema.describe('What the council pays the provider a year, in place of the premises and running costs'),
  },
  'Transfer an open site to another provider: it stays open (it still reaches families), its posts leave the council without redundancy (TUPE, listed in postsTransferred), and its premises and running costs are replaced by the annual payment (counted as its running cost).',
  { siteId: exampleSiteId, provider: 'St Anne’s Primary School', annualPaymentPence: 4_500_000 },
);

const exampleCentralCostId = '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f';
export const changeCentralCostActionSchema = action(
  'change_central_cost',
  {
    centralCostId: idSchema.describe("One of this council's central costs, or one added earlier in the scenario (`action-{index}-central`)"),
    fte: fteSchema
      .min(0)
      .max(1000)
      .optional()
      .describe("A central post: its new FTE; 0 removes it. FTE cut costs redundancy (at the post's cost per FTE, less vacantOrRedeployedShare)"),
    annualCostPerFtePence: penceSchema.optional().describe('A central post: its new cost per FTE'),
    annualBudgetPence: penceSchema.optional().describe('A budget line: its new amount a year; 0 removes it'),
  },
  "Change a central cost (one that belongs to no site): a post's FTE or cost per FTE, or a budget line's amount. Cutting a post's FTE counts as posts deleted, with redundancy.",
  { centralCostId: exampleCentralCostId, fte: 2 },
);
export const addCentralCostActionSchema = action(
  'add_central_cost',
  {
    title: nameSchema.min(1).describe('e.g. Locality manager, Commissioning budget'),
    category: z.enum(centralCostCategories),
    fte: fteSchema.min(0.0001).max(1000).optional().describe('A central post: its FTE (with annualCostPerFtePence)'),
    annualCostPerFtePence: penceSchema.optional().describe('A central post: salary plus on-costs for one FTE a year'),
    annualBudgetPence: penceSchema.optional().describe('A budget line: its amount a year (instead of fte and annualCostPerFtePence)'),
  },
  'Add a central post (fte and annualCostPerFtePence) or budget line (annualBudgetPence) that belongs to no site, e.g. a locality manager for a new cluster or a commissioning budget.',
  { title: 'Locality manager', category: 'central_management', fte: 1, annualCostPerFtePence: 6_200_000 },
);

const exampleNewSiteId = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
export const addSiteActionSchema = action(
  'add_site',
  {
    newSiteId: uuidSchema.describe(
      "A new UUID you choose for the site, not one of this council's sites: later actions of the scenario name the site by it (siteId, hubId, toSiteId, …), as they name any other",
    ),
    name: nameSchema.min(1),
    lat: latSchema,
    lon: lonSchema,
    role: z.enum(siteRoles),
    hubId: uuidSchema
      .optional()
      .describe('The open hub that runs a spoke or venue (an existing site, or one added earlier); none for a hub or standalone site'),
    services: siteServicesField.describe('The services offered there'),
    openingHoursPerWeek: decimalNumber(2).min(0).max(168),
    annualPremisesCostPence: penceSchema.describe('Premises cost a year, pence'),
    annualRunningCostPence: penceSchema.describe('Running cost a year, pence'),
    posts: z
      .array(
        z.strictObject({
          title: nameSchema.min(1).describe('e.g. Family support worker'),
          kind: z.enum(postKinds),
          fte: fteSchema.min(0.0001).max(100),
          annualCostPerFtePence: penceSchema.describe('Salary plus on-costs of one FTE, pence a year'),
        }),
      )
      .max(100)
      .optional()
      .describe('Its staff, each a post added (listed in postsAdded as `action-{index}-post-{n}`); default none'),
    capitalCostPence: penceSchema
      .optional()
      .describe('One-off capital cost of opening it (building, fitting out), pence, falling in the year of effectiveDate (year 0 from the start date)'),
  },
  'Open a site that exists only in this scenario (a planned centre): from its effectiveDate it is open, reaches the areas around it, costs its premises, running and staff, and may be the target of later actions (a hub for spokes, a site to redeploy to). Its one-off capital cost counts with the one-off costs.',
  {
    newSiteId: exampleNewSiteId,
    name: 'Riverside Family Hub',
    lat: 53.4084,
    lon: -2.9916,
    role: 'venue',
    hubId: exampleHubId,
    services: ['stay_and_play', 'health_visiting'],
    openingHoursPerWeek: 12,
    annualPremisesCostPence: 1_000_000,
    annualRunningCostPence: 900_000,
    posts: [{ title: 'Family support worker', kind: 'frontline', fte: 0.5, annualCostPerFtePence: 3_500_000 }],
    capitalCostPence: 25_000_000,
  },
);

export const scenarioActionSchema = z
  .discriminatedUnion('type', [
    closeSiteActionSchema,
    reopenSiteActionSchema,
    makeSpokeActionSchema,
    makeHubActionSchema,
    makeStandaloneActionSchema,
    addIncomeActionSchema,
    removeIncomeActionSchema,
    changePostsActionSchema,
    changeHoursActionSchema,
    transferSiteActionSchema,
    changeCentralCostActionSchema,
    addCentralCostActionSchema,
    makeVenueActionSchema,
    formClusterActionSchema,
    addSiteActionSchema,
  ])
  .meta({ id: 'ScenarioAction' });
export type ScenarioAction = z.output<typeof scenarioActionSchema>;
export type ScenarioActionType = ScenarioAction['type'];

export const scenarioActionsSchema = withLimit(z.array(scenarioActionSchema), scenarioLimits.maxActions).describe(
  'Applied in order; each action sees the network as the previous ones left it.',
);

export const actionErrorSchema = z.object({ actionIndex: actionIndexSchema, reason: z.string().max(1000) }).meta({ id: 'ScenarioActionError' });
export type ActionError = z.output<typeof actionErrorSchema>;

// ── Evaluation ────────────────────────────────────────────────────────────────────────────────────

export const annualMoneySchema = z
  .object({
    staffPence: amountPenceSchema,
    premisesPence: amountPenceSchema,
    runningPence: amountPenceSchema,
    centralPence: amountPenceSchema.describe("Central costs: Σ of the council's central posts (fte × cost per FTE) and budget lines, rounded once"),
    grossCostPence: amountPenceSchema.describe('staff + premises + running + central'),
    incomePence: amountPenceSchema,
    netCostPence: signedPenceSchema.describe('gross − income'),
  })
  .describe(
    'Year 1. Staff is Σ fte × cost per FTE over posts at open sites (central posts count in central), rounded once; premises and running over open sites; income pro-rated by the days each stream is active in the year, rounded once. Gross and net are sums of those rounded figures, so they add up to the penny.',
  );

const incomeStreamRefSchema = z.object({
  incomeStreamId: idSchema,
  partner: nameSchema,
  kind: z.enum(incomeKinds),
  siteId: idSchema.nullable(),
  annualValuePence: amountPenceSchema,
  endDate: dateSchema.nullable(),
});

export const reachSchema = z
  .object({
    totalUnder5s: z.number().min(0),
    reachedUnder5s: z.number().min(0).describe('Under-5s of areas whose nearest open site is within radiusM'),
    reachShare: shareSchema,
    deprivedUnder5s: z.number().min(0).describe('Under-5s of areas in deprivedDeciles'),
    deprivedReachedUnder5s: z.number().min(0),
    deprivedReachShare: shareSchema,
    meanDistanceM: metresSchema.describe('Under-5-weighted mean distance to the nearest open site, whole metres; null without open sites or under-5s'),
    p95DistanceM: metresSchema.describe('Distance within which 95% of under-5s live (sorted by distance, first reaching 95% of the total)'),
    meanWalkingMinutes: minutesSchema,
    p95WalkingMinutes: minutesSchema,
    byService: z
      .array(
        z.object({
          service: z.enum(serviceKinds),
          reachedUnder5s: z.number().min(0).describe('Under-5s of areas with an open site offering the service within radiusM'),
          reachShare: shareSchema,
          deprivedReachedUnder5s: z.number().min(0),
          deprivedReachShare: shareSchema,
        }),
      )
      .describe(
        'Reach of each service (every service kind, in a fixed order), counting only the open sites that offer it; the figures above count any open site',
      ),
    coreOffer: z
      .object({
        services: z.array(z.enum(serviceKinds)).describe("The parameters' coreOffer"),
        reachedUnder5s: z.number().min(0).describe('Under-5s of areas with an open site offering every service of the core offer within radiusM'),
        reachShare: shareSchema,
        deprivedReachedUnder5s: z.number().min(0),
        deprivedReachShare: shareSchema,
      })
      .nullable()
      .describe(
        'Reach of the core offer (parameter coreOffer), counting only the open sites that offer all of it; null when the parameters name no core offer',
      ),
  })
  .meta({ id: 'Reach' });

export const networkFiguresSchema = z
  .object({
    money: annualMoneySchema,
    incomeAtRisk: z
      .object({ annualValuePence: amountPenceSchema, streams: z.array(incomeStreamRefSchema) })
      .describe('Counted income streams whose contract ends within the horizon'),
    staff: staffFiguresSchema,
    sites: siteCountsSchema,
    clusters: z.array(clusterSchema),
    reach: reachSchema,
  })
  .meta({ id: 'NetworkFigures' });

const cashFlowYearFields = {
  year: z.int().min(1),
  startDate: dateSchema,
  endDate: dateSchema,
};

export const removedPostSchema = z
  .object({
    postId: idSchema,
    title: nameSchema,
    siteId: idSchema,
    siteName: nameSchema,
    kind: z.enum(postKinds),
    fte: z.number().describe('FTE removed (part of the post when only part is removed)'),
    annualCostPerFtePence: amountPenceSchema,
    annualCostPence: amountPenceSchema.describe('fte × cost per FTE, rounded'),
    redundancyCostPence: amountPenceSchema.describe(
      'redundancyMonths ÷ 12 × annual cost × (1 − vacantOrRedeployedShare), rounded; 0 for a post the scenario itself added',
    ),
    actionIndex: actionIndexSchema,
  })
  .meta({ id: 'RemovedPost' });

export const addedPostSchema = z.object({
  postId: idSchema,
  title: nameSchema,
  siteId: idSchema,
  kind: z.enum(postKinds),
  fte: z.number(),
  annualCostPerFtePence: amountPenceSchema,
  actionIndex: actionIndexSchema,
});

export const redeployedPostSchema = z
  .object({
    postId: idSchema.describe('The post moved (whole, or the part moved)'),
    newPostId: idSchema.describe('Its id at the site it moves to'),
    title: nameSchema,
    kind: z.enum(postKinds),
    fte: z.number().describe('FTE moved'),
    annualCostPerFtePence: amountPenceSchema,
    annualCostPence: amountPenceSchema.describe('fte × cost per FTE, rounded: kept, at the new site'),
    fromSiteId: idSchema,
    fromSiteName: nameSchema,
    toSiteId: idSchema,
    toSiteName: nameSchema,
    actionIndex: actionIndexSchema,
  })
  .meta({ id: 'RedeployedPost' });
export type RedeployedPost = z.output<typeof redeployedPostSchema>;

export const transferredPostSchema = removedPostSchema
  .omit({ redundancyCostPence: true })
  .extend({ annualCostPence: amountPenceSchema.describe('fte × cost per FTE, rounded: no longer the council’s') })
  .meta({ id: 'TransferredPost' });
export type TransferredPost = z.output<typeof transferredPostSchema>;

export const removedCentralPostSchema = z
  .object({
    centralCostId: idSchema,
    title: nameSchema,
    category: z.enum(centralCostCategories),
    fte: z.number().describe('FTE cut'),
    annualCostPerFtePence: amountPenceSchema,
    annualCostPence: amountPenceSchema.describe('fte × cost per FTE, rounded'),
    redundancyCostPence: amountPenceSchema.describe(
      'As for a post at a site: redundancyMonths ÷ 12 × annual cost × (1 − vacantOrRedeployedShare); 0 for a post the scenario added',
    ),
    actionIndex: actionIndexSchema,
  })
  .meta({ id: 'RemovedCentralPost' });
export type RemovedCentralPost = z.output<typeof removedCentralPostSchema>;

const jobCountSchema = z.object({ posts: z.int().min(0).describe('Head count: posts (a post partly cut counts once)'), fte: z.number().min(0) });
export const jobsSchema = z
  .object({
    postsDeleted: jobCountSchema
      .extend({ redundancyPence: amountPenceSchema })
      .describe('postsRemoved and centralPostsRemoved, excluding posts the scenario itself added (never filled); redundancy as in savings.oneOff'),
    postsRedeployed: jobCountSchema.describe('postsRedeployed: jobs kept at another site'),
    postsAdded: jobCountSchema.describe('postsAdded'),
    postsTransferred: jobCountSchema.describe('postsTransferred: jobs that leave the council with a transferred site (TUPE)'),
    netFteChange: z.number().describe('Scenario FTE − baseline FTE, at open sites'),
  })
  .describe('Jobs, each figure traceable to the lists of posts it counts')
  .meta({ id: 'Jobs' });

const affectedAreaSchema = z.object({
  areaId: idSchema,
  code: z.string().max(9),
  name: nameSchema,
  under5Population: z.number(),
  deprivationDecile: z.int(),
});

const areaEvidenceFields = {
  areas: z
    .array(affectedAreaSchema)
    .max(maxListedAreas.evidence)
    .describe(`The first ${maxListedAreas.evidence} of the areas, in the network's order; areaCount counts them all`),
  areaCount: z.int().min(0).describe('Areas within reach, all counted (under5s and deprivedUnder5s are theirs)'),
  under5s: z.number().min(0),
  deprivedUnder5s: z.number().min(0),
};

const warning = <C extends string, T extends z.ZodRawShape>(code: C, evidence: T, description: string) =>
  z.object({ code: z.literal(code), message: z.string().max(2000), evidence: z.object(evidence) }).describe(description);

export const warningSchema = z
  .discriminatedUnion('code', [
    warning(
      'spoke_too_far',
      { hubId: idSchema, hubName: nameSchema, spokeId: idSchema, spokeName: nameSchema, distanceM: z.number(), maxSpokeDistanceM: z.number() },
      'An open spoke is further from its hub than maxSpokeDistanceM.',
    ),
    warning(
      'hub_over_span',
      { hubId: idSchema, hubName: nameSchema, openSpokes: z.int(), maxSpokesPerHub: z.int() },
      'An open hub has more open spokes than maxSpokesPerHub.',
    ),
    warning(
      'service_lost',
      { service: z.enum(serviceKinds), ...areaEvidenceFields },
      'Areas where an open site within radiusM offered the service in the baseline and none does in the scenario.',
    ),
    warning(
      'income_lost',
      {
        incomeStreamId: idSchema,
        partner: nameSchema,
        siteId: idSchema,
        siteName: nameSchema,
        annualValuePence: amountPenceSchema,
        year1Pence: amountPenceSchema,
      },
      'Income that needs its site open, lost because the site closes.',
    ),
    warning(
      'consultation_required',
      {
        siteId: idSchema,
        siteName: nameSchema,
        change: z.enum(['closure', 'hours_cut']),
        baselineHoursPerWeek: z.number(),
        scenarioHoursPerWeek: z.number(),
        ...areaEvidenceFields,
      },
      'A closure, or a cut in hours of more than consultationHoursCutShare, is a significant change: the council must consult first (Childcare Act 2006, s5D). The areas within radiusM of the site and their under-5s are evidence for the equality impact assessment.',
    ),
    warning(
      'running_cost_not_scaled',
      { siteId: idSchema, siteName: nameSchema, actionIndex: actionIndexSchema },
      'A site with 0 opening hours had its hours changed: its running cost cannot scale from 0 and is left as it was.',
    ),
  ])
  .meta({ id: 'PlanningWarning' });
export type PlanningWarning = z.output<typeof warningSchema>;

const lineItemFields = {
  category: z.enum(['staff', 'premises', 'running', 'central', 'income', 'redundancy', 'closure_cost', 'capital_cost', 'capital_receipt']),
  sourceType: z.enum(['site', 'post', 'income_stream', 'central_cost']),
  sourceId: idSchema,
  description: z.string().max(200).describe('The site name, post title, income partner or central cost title'),
  actionIndex: actionIndexSchema.nullable().describe('The last action that changed the source (or caused the one-off); null when none did'),
};
const lineItemDescription =
  'Year-1 annual figures (one-offs in year 0), each rounded to the penny on its own: totals are rounded once from the exact sum, so line items can differ from a total by under a penny each. Income streams counted at any time in the horizon are listed, at 0 when not active in year 1. Capital receipts are inflows.';

export const networkLineItemSchema = z.object({ ...lineItemFields, pence: amountPenceSchema }).describe(lineItemDescription);
export const scenarioLineItemSchema = z
  .object({ ...lineItemFields, baselinePence: amountPenceSchema, scenarioPence: amountPenceSchema })
  .describe(lineItemDescription);

const incomeRuleDescription =
  "Income in a year is each active stream's annual value × days active in the year ÷ days in the year (a stream is active from its start date to its end date inclusive; scenario-added income from the first day of startYear to the last day of endYear), summed and rounded once. Income that needs its site open counts only while the site is open.";

export const networkEvaluationSchema = z
  .object({
    parameters: scenarioParametersSchema,
    figures: networkFiguresSchema,
    cashFlow: z.array(z.object({ ...cashFlowYearFields, incomePence: amountPenceSchema, netCostPence: signedPenceSchema })).describe(incomeRuleDescription),
    warnings: z.array(warningSchema),
    lineItems: z.array(networkLineItemSchema),
  })
  .meta({ id: 'NetworkEvaluation' });
export type NetworkEvaluation = z.output<typeof networkEvaluationSchema>;

export const scenarioEvaluationSchema = z
  .object({
    parameters: scenarioParametersSchema,
    baseline: networkFiguresSchema,
    scenario: networkFiguresSchema,
    savings: z.object({
      annualSavingPence: signedPenceSchema.describe('Full-year saving: fullYearSavingPence (the headline)'),
      fullYearSavingPence: signedPenceSchema.describe(
        'Year 1 baseline net cost − scenario net cost with every action in effect for the whole year, whatever its effectiveDate',
      ),
      inYearSavingPence: signedPenceSchema.describe("Year 1's saving with each action from its effectiveDate (cashFlow[0].savingPence)"),
      oneOff: z.object({
        redundancyPence: amountPenceSchema,
        closureCostsPence: amountPenceSchema,
        capitalCostsPence: amountPenceSchema.describe('Capital costs of the sites the scenario adds (add_site)'),
        capitalReceiptsPence: amountPenceSchema,
        totalPence: signedPenceSchema.describe('redundancy + closure costs + capital costs − capital receipts, whenever they fall'),
        year0Pence: signedPenceSchema.describe(
          "The part falling in year 0: one-offs of actions taking effect on the start date; a later one-off falls in the year of its action (at the end of the year before, when on a year's first day): cashFlow[].oneOffPence",
        ),
      }),
      cashFlow: z
        .array(
          z.object({
            ...cashFlowYearFields,
            baselineIncomePence: amountPenceSchema,
            scenarioIncomePence: amountPenceSchema,
            baselineNetCostPence: signedPenceSchema,
            scenarioNetCostPence: signedPenceSchema,
            savingPence: signedPenceSchema,
            oneOffPence: signedPenceSchema.describe('One-off costs less receipts falling in this year (phased actions)'),
            cumulativeSavingPence: signedPenceSchema,
            presentValuePence: signedPenceSchema.describe('(saving − one-off) ÷ (1 + discountRate)^year, rounded'),
          }),
        )
        .describe(incomeRuleDescription),
      npvPence: signedPenceSchema.describe('−one-off(0) + Σ (saving(t) − one-off(t)) ÷ (1 + discountRate)^t, rounded once'),
      paybackYears: z
        .number()
        .min(0)
        .nullable()
        .describe(
          'Years until the cumulative saving covers the total one-off cost (whenever it falls), interpolated within the year, to 0.01; 0 when the one-off cost is 0 or less; null when not within the horizon',
        ),
    }),
    postsRemoved: z.array(removedPostSchema),
    postsAdded: z.array(addedPostSchema),
    postsRedeployed: z.array(redeployedPostSchema).describe('Posts moved to another open site by an action that would otherwise remove them'),
    postsTransferred: z.array(transferredPostSchema).describe('Posts that leave the council with a site it transfers (TUPE), without redundancy'),
    centralPostsRemoved: z.array(removedCentralPostSchema).describe('Central posts (belonging to no site), or parts of them, that change_central_cost cut'),
    jobs: jobsSchema,
    incomeLost: z
      .object({
        year1Pence: amountPenceSchema,
        streams: z.array(incomeStreamRefSchema.extend({ siteName: nameSchema, year1Pence: amountPenceSchema })),
      })
      .describe('Income counted in the baseline that the scenario loses because its site closes'),
    areasLosingCoverage: z
      .array(affectedAreaSchema.extend({ baselineDistanceM: z.number(), scenarioDistanceM: metresSchema }))
      .max(maxListedAreas.losingCoverage)
      .describe(
        `Areas within radiusM of an open site in the baseline and not in the scenario: the first ${maxListedAreas.losingCoverage}, in the network's order`,
      ),
    areasLosingCoverageCount: z.int().min(0).describe('All the areas losing coverage, counted'),
    actions: z
      .array(z.object({ actionIndex: actionIndexSchema, type: z.string().max(50), description: z.string().max(2000) }))
      .describe('What each action changed, in order'),
    warnings: z.array(warningSchema),
    lineItems: z.array(scenarioLineItemSchema),
    expected: expectedSchema,
    economicCase: economicCaseSchema,
    uncertainty: uncertaintySchema,
    provenance: provenanceSchema.optional(),
  })
  .meta({ id: 'ScenarioEvaluation' });
export type ScenarioEvaluation = z.output<typeof scenarioEvaluationSchema>;
export type NetworkFigures = z.output<typeof networkFiguresSchema>;
export type RemovedPost = z.output<typeof removedPostSchema>;
export type AddedPost = z.output<typeof addedPostSchema>;
export type ScenarioLineItem = z.output<typeof scenarioLineItemSchema>;
export type NetworkLineItem = z.output<typeof networkLineItemSchema>;

// ── Comparison ────────────────────────────────────────────────────────────────────────────────────

const headlineFields = {
  annualSavingPence: signedPenceSchema,
  oneOffCostPence: signedPenceSchema,
  npvPence: signedPenceSchema,
  paybackYears: z.number().nullable(),
  netCostPence: signedPenceSchema,
  reachedUnder5s: z.number(),
  reachShare: shareSchema,
  deprivedReachedUnder5s: z.number(),
  deprivedReachShare: shareSchema,
  meanDistanceM: metresSchema,
  fte: z.number(),
  openSites: z.int(),
  coreOfferReachedUnder5s: z.number().nullable().describe('reach.coreOffer.reachedUnder5s; null without a core offer'),
  coreOfferReachShare: shareSchema.describe('reach.coreOffer.reachShare; null without a core offer'),
  incomeLostPence: amountPenceSchema,
  expectedNpvPence: signedPenceSchema.describe('The expected financial NPV: risks at their probabilities (evaluation.expected)'),
  outcomeValueLostPence: signedPenceSchema.describe('Present value of outcome value lost (negative: gained)'),
  economicNpvPence: signedPenceSchema.describe('expected NPV − outcome value lost'),
};

export const comparisonRowSchema = z
  .object({
    optionId: z.string().max(100),
    name: nameSchema,
    isBaseline: z.boolean(),
    ...headlineFields,
    under5sNoLongerReached: z.number().describe('baseline reach − option reach (negative when the option reaches more)'),
    savingPerUnder5NoLongerReachedPence: signedPenceSchema
      .nullable()
      .describe('annual saving ÷ under-5s no longer reached, rounded; null when the option loses nobody'),
    deltas: z
      .object({
        netCostPence: signedPenceSchema,
        reachedUnder5s: z.number(),
        deprivedReachedUnder5s: z.number(),
        reachShare: z.number().nullable(),
        deprivedReachShare: z.number().nullable(),
        meanDistanceM: z.number().nullable(),
        fte: z.number(),
        openSites: z.int(),
        coreOfferReachedUnder5s: z.number().nullable().describe('null without a core offer'),
      })
      .describe('Option − its baseline'),
    dominatedBy: z.array(z.string().max(100)).describe("Rows whose saving, reach and deprived reach are all at least this row's, one of them strictly more"),
    rank: z
      .int()
      .min(1)
      .nullable()
      .describe(
        "By the comparison's rankBy: saving per under-5 no longer reached (options that lose nobody first, by saving), the expected NPV or the economic NPV, highest first; null for the baseline row",
      ),
    monteCarlo: comparedMonteCarloSchema.optional().describe("On request (monteCarlo): the option's NPV distributions and how often it is best"),
  })
  .meta({ id: 'ComparisonRow' });
export type ComparisonRow = z.output<typeof comparisonRowSchema>;

export const comparisonSchema = z
  .object({
    rows: z.array(comparisonRowSchema),
    sameParameters: z.boolean().describe('false when the options were evaluated with different parameters: compare with care'),
    rankBy: z.enum(rankMeasures),
  })
  .meta({ id: 'OptionComparison' });
export type Comparison = z.output<typeof comparisonSchema>;
