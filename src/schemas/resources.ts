import { z } from 'zod';
import { incomeKinds, postKinds, serviceKinds, siteRoles, siteStatuses } from '../domain/types.js';
import { dateSchema, decimalNumber, latSchema, lonSchema, penceSchema, resourceMetaSchema, uuidSchema } from './common.js';

const ownedMeta = { ...resourceMetaSchema, councilId: uuidSchema };
const text = (max: number) => z.string().trim().min(1).max(max);

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
});
export type IncomeStreamInput = z.output<typeof incomeStreamFields>;
export const incomeStreamSchema = z
  .object({
    ...ownedMeta,
    ...incomeStreamFields.shape,
    endDate: dateSchema.nullable(),
    siteId: z.uuid().nullable(),
    requiresSiteOpen: z.boolean(),
  })
  .meta({ id: 'IncomeStream' });

export const areaFields = z.strictObject({
  code: z.string().regex(/^[EW]0\d{7}$/, 'must be an LSOA code such as E01006512').max(9).describe('LSOA code, unique within a council'),
  name: text(200),
  lat: latSchema.describe('Population-weighted centroid latitude'),
  lon: lonSchema.describe('Population-weighted centroid longitude'),
  under5Population: z.number().int().min(0).max(100_000),
  deprivationDecile: z.number().int().min(1).max(10).describe('IMD 2019 decile: 1 = most deprived 10% in England'),
  idaciDecile: z.number().int().min(1).max(10).nullable().optional(),
});
export type AreaInput = z.output<typeof areaFields>;
export const areaSchema = z
  .object({ ...ownedMeta, ...areaFields.shape, idaciDecile: z.number().int().nullable() })
  .meta({ id: 'Area' });
