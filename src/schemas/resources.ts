import { z } from 'zod';
import { centralCostCategories, cohortBases, incomeKinds, postKinds, serviceKinds, siteRoles, siteStatuses } from '../domain/types.js';
import { dateSchema, decimalNumber, latSchema, lonSchema, penceSchema, resourceMetaSchema, uuidSchema } from './common.js';

const ownedMeta = { ...resourceMetaSchema, councilId: uuidSchema };
const text = (max: number) => z.string().trim().min(1).max(max);
/**
 * A share or probability. Its range (0 to 1) is a rule checked by the resource's rules (a 422 naming the
 * field, see shareErrors), so that an out-of-range rate reads as a broken rule rather than a malformed body.
 */
const probabilitySchema = (fallback: number) => z.number().default(fallback);

/** The fields among `names` whose value lies outside 0 to 1, as rule violations naming each field. */
export function shareErrors<T extends Record<string, unknown>>(input: T, names: readonly (keyof T & string)[]) {
  return names
    .filter((name) => typeof input[name] === 'number' && !((input[name] as number) >= 0 && (input[name] as number) <= 1))
    .map((name) => ({ path: `/${name}`, message: 'must be between 0 and 1' }));
}

export const councilFields = z.strictObject({
  code: z
    .string()
    .regex(/^[EWSN]\d{8}$/, 'must be an ONS local-authority code such as E08000012')
    .max(9)
    .describe('ONS local-authority code, unique'),
  name: text(200),
});
export const councilSchema = z.object({ ...resourceMetaSchema, ...councilFields.shape }).meta({ id: 'Council' });

export const siteFields = z.strictObject({
  name: text(200),
  urn: z
    .string()
    .regex(/^[0-9A-Za-z-]{1,20}$/, 'must be 1 to 20 letters, digits or hyphens')
    .max(20)
    .nullable()
    .optional()
    .describe("The DfE register's unique reference number; unique within a council"),
  role: z
    .enum(siteRoles)
    .describe('hub: manages a cluster; spoke: managed by its hub; standalone: its own management; venue: no staff base, sessions staffed from its hub'),
  hubId: uuidSchema.nullable().optional().describe('Required exactly when role is spoke or venue: an open hub of the same council'),
  status: z.enum(siteStatuses).default('open'),
  lat: latSchema,
  lon: lonSchema,
  postcode: z.string().trim().max(10).nullable().optional(),
  address: z.string().trim().max(500).nullable().optional(),
  openingHoursPerWeek: z.number().min(0).max(168).default(0).describe('0 to 168; running cost is taken to scale with hours'),
  services: z
    .array(z.enum(serviceKinds))
    .max(serviceKinds.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a service')
    .default([])
    .describe(`Services offered, from: ${serviceKinds.join(', ')}`),
  annualPremisesCostPence: penceSchema.default(0).describe('Rent, rates, maintenance, utilities a year, pence'),
  annualRunningCostPence: penceSchema.default(0).describe('Non-staff running costs a year (activities, supplies), pence'),
  capitalClawbackPence: penceSchema
    .default(0)
    .describe('Capital grant the Department for Education may reclaim if the site closes or is transferred within 25 years of the grant, pence'),
  capitalGrantDate: dateSchema.nullable().optional().describe('When the capital grant was made; needed when capitalClawbackPence is above 0'),
  clawbackProbability: probabilitySchema(1).describe(
    'Chance, 0 to 1, that a closure or transfer triggers the clawback (expected value: probability × amount). Default 1',
  ),
});
export type SiteInput = z.output<typeof siteFields>;
export const siteSchema = z
  .object({
    ...ownedMeta,
    ...siteFields.shape,
    urn: z.string().max(20).nullable(),
    hubId: z.uuid().nullable(),
    postcode: z.string().max(10).nullable(),
    address: z.string().max(500).nullable(),
    status: z.enum(siteStatuses),
    openingHoursPerWeek: z.number(),
    services: z.array(z.enum(serviceKinds)),
    annualPremisesCostPence: z.number().int(),
    annualRunningCostPence: z.number().int(),
    capitalClawbackPence: z.number().int(),
    capitalGrantDate: dateSchema.nullable(),
    clawbackProbability: z.number(),
  })
  .meta({ id: 'Site' });

export const postFields = z.strictObject({
  siteId: uuidSchema.describe('The site the post is based at'),
  title: text(200),
  kind: z.enum(postKinds).describe("management posts of a hub are its cluster's shared management"),
  fte: decimalNumber(4).gt(0).max(100).describe('Full-time equivalent, up to 4 decimal places'),
  annualCostPerFtePence: penceSchema.describe('Salary plus on-costs for one FTE a year, pence'),
});
export type PostInput = z.output<typeof postFields>;
export const postSchema = z.object({ ...ownedMeta, ...postFields.shape }).meta({ id: 'Post' });

export const incomeStreamFields = z.strictObject({
  partner: text(200).describe('Who pays, e.g. an NHS trust'),
  kind: z.enum(incomeKinds),
  annualValuePence: penceSchema,
  startDate: dateSchema,
  endDate: dateSchema.nullable().optional().describe('Inclusive; absent when open-ended'),
  siteId: uuidSchema.nullable().optional().describe('The site the income is tied to'),
  requiresSiteOpen: z.boolean().default(false).describe('The income is lost if its site closes; needs siteId'),
  renewalProbability: probabilitySchema(0).describe(
    'Chance, 0 to 1, that the contract is renewed on the same terms after its end date: the expected figures count it at this share after that date. Default 0',
  ),
});
export type IncomeStreamInput = z.output<typeof incomeStreamFields>;
export const incomeStreamSchema = z
  .object({
    ...ownedMeta,
    ...incomeStreamFields.shape,
    endDate: dateSchema.nullable(),
    siteId: z.uuid().nullable(),
    requiresSiteOpen: z.boolean(),
    renewalProbability: z.number(),
  })
  .meta({ id: 'IncomeStream' });

export const centralCostFields = z.strictObject({
  title: text(200).describe('e.g. Head of early help, Business support, Commissioning budget'),
  category: z.enum(centralCostCategories),
  fte: decimalNumber(4)
    .gt(0)
    .max(1000)
    .nullable()
    .optional()
    .describe('A post: its full-time equivalent (with annualCostPerFtePence); absent for a budget line'),
  annualCostPerFtePence: penceSchema.nullable().optional().describe('A post: salary plus on-costs for one FTE a year, pence'),
  annualBudgetPence: penceSchema.nullable().optional().describe('A budget line: its amount a year, pence (instead of fte and annualCostPerFtePence)'),
});
export type CentralCostInput = z.output<typeof centralCostFields>;
export const centralCostSchema = z
  .object({
    ...ownedMeta,
    ...centralCostFields.shape,
    fte: z.number().nullable(),
    annualCostPerFtePence: z.int().nullable(),
    annualBudgetPence: z.int().nullable(),
  })
  .describe("A post or budget line of the council's network that belongs to no site")
  .meta({ id: 'CentralCost' });

export const areaFields = z.strictObject({
  code: z
    .string()
    .regex(/^[EW]0\d{7}$/, 'must be an LSOA code such as E01006512')
    .max(9)
    .describe('LSOA code, unique within a council'),
  name: text(200),
  lat: latSchema.describe('Population-weighted centroid latitude'),
  lon: lonSchema.describe('Population-weighted centroid longitude'),
  under5Population: z.number().int().min(0).max(100_000),
  deprivationDecile: z.number().int().min(1).max(10).describe('IMD 2019 decile: 1 = most deprived 10% in England'),
  idaciDecile: z.number().int().min(1).max(10).nullable().optional(),
});
export type AreaInput = z.output<typeof areaFields>;
export const areaSchema = z.object({ ...ownedMeta, ...areaFields.shape, idaciDecile: z.number().int().nullable() }).meta({ id: 'Area' });

export const outcomeFields = z.strictObject({
  name: text(200).describe('The outcome, e.g. "child reaches a good level of development at 5"; unique within a council'),
  sourceRef: text(1000).describe('Where the values and rates come from'),
  priceYear: text(20).describe('Price base of the unit values, e.g. 2012/13'),
  illustrative: z.boolean().default(false).describe("true for the shipped illustrative defaults; a council's own outcomes are false"),
  cohortBasis: z
    .enum(cohortBases)
    .describe(
      'What the cohort is counted from: births (under-5s reached ÷ 5, a year group), under5s, deprived_under5s (under-5s reached in the deprived deciles), households (under-5s reached ÷ under5sPerHousehold)',
    ),
  under5sPerHousehold: z.number().nullable().optional().describe('Needed when cohortBasis is households: under-5s per household, above 0'),
  engagementRate: z.number().describe('0 to 1: share of the cohort the centres engage (1 for area-level effects)'),
  impactRate: z.number().describe('0 to 1: absolute change in the probability of the outcome among the engaged'),
  impactRateLow: z.number().nullable().optional().describe('Low value of impactRate for the sensitivity analysis (0 to impactRate); absent: certain'),
  impactRateHigh: z.number().nullable().optional().describe('High value of impactRate (impactRate to 1); absent: certain'),
  deadweight: probabilitySchema(0).describe('0 to 1: share that would have happened anyway. Default 0'),
  attribution: probabilitySchema(1).describe('0 to 1: share of the change credited to the centres. Default 1'),
  optimismBias: probabilitySchema(0).describe('0 to 1: haircut for the strength of the evidence. Default 0'),
  lagYears: z.int().default(0).describe('Whole years, 0 or more, from reaching a cohort until the benefit starts. Default 0'),
  durationYears: z.int().default(1).describe('Whole years, 1 or more, that the benefit lasts. Default 1'),
  dropOff: probabilitySchema(0).describe('0 to 1: share of the benefit lost each year after the first. Default 0'),
  fiscalValuePence: penceSchema.default(0).describe('Value to the public purse per outcome per year, pence, at priceYear prices'),
  economicValuePence: penceSchema.default(0).describe('Economic value (earnings, productivity) per outcome per year, pence'),
  socialValuePence: penceSchema.default(0).describe('Social value (wellbeing) per outcome per year, pence; at least one of the three values is above 0'),
  priceUplift: z.number().default(1).describe("Factor (above 0) taking the unit values from priceYear to the evaluation's prices. Default 1"),
  agency: text(200).describe('Who bears the fiscal value, e.g. NHS, local authority, DWP'),
  cashability: probabilitySchema(0).describe('0 to 1: share of the fiscal value a budget actually sees. Default 0'),
});
export type OutcomeInput = z.output<typeof outcomeFields>;

/** Rules an outcome keeps (outcomes-model.md): rates within 0 to 1, sensible years, and some value to count. */
export function outcomeRules(outcome: OutcomeInput) {
  const errors = shareErrors(outcome, [
    'engagementRate',
    'impactRate',
    'impactRateLow',
    'impactRateHigh',
    'deadweight',
    'attribution',
    'optimismBias',
    'dropOff',
    'cashability',
  ]);
  if (outcome.impactRateLow != null && outcome.impactRateLow > outcome.impactRate) {
    errors.push({ path: '/impactRateLow', message: 'must not be above impactRate' });
  }
  if (outcome.impactRateHigh != null && outcome.impactRateHigh < outcome.impactRate) {
    errors.push({ path: '/impactRateHigh', message: 'must not be below impactRate' });
  }
  if (!(outcome.lagYears >= 0 && outcome.lagYears <= 50)) errors.push({ path: '/lagYears', message: 'must be 0 to 50 years' });
  if (!(outcome.durationYears >= 1 && outcome.durationYears <= 100)) errors.push({ path: '/durationYears', message: 'must be 1 to 100 years' });
  if (!(outcome.priceUplift > 0)) errors.push({ path: '/priceUplift', message: 'must be above 0' });
  if (outcome.fiscalValuePence + outcome.economicValuePence + outcome.socialValuePence === 0) {
    errors.push({
      path: '/fiscalValuePence',
      message: 'an outcome needs a value: at least one of fiscalValuePence, economicValuePence and socialValuePence above 0',
    });
  }
  if (outcome.cohortBasis === 'households' && !((outcome.under5sPerHousehold ?? 0) > 0)) {
    errors.push({ path: '/under5sPerHousehold', message: 'is needed, above 0, when cohortBasis is households' });
  }
  return errors;
}

export const outcomeSchema = z
  .object({
    ...ownedMeta,
    ...outcomeFields.shape,
    illustrative: z.boolean(),
    under5sPerHousehold: z.number().nullable(),
    impactRateLow: z.number().nullable(),
    impactRateHigh: z.number().nullable(),
    deadweight: z.number(),
    attribution: z.number(),
    optimismBias: z.number(),
    lagYears: z.int(),
    durationYears: z.int(),
    dropOff: z.number(),
    fiscalValuePence: z.int(),
    economicValuePence: z.int(),
    socialValuePence: z.int(),
    priceUplift: z.number(),
    cashability: z.number(),
  })
  .meta({ id: 'Outcome' });
