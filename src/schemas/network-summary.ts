// What GET /councils/{id}/network returns: the network as it stands (src/domain/network.ts).
import { z } from 'zod';
import { postKinds, siteRoles, siteStatuses } from '../domain/types.js';
import { dateSchema } from './common.js';

const countsBy = <T extends readonly [string, ...string[]]>(keys: T, value: z.ZodType<number>) =>
  z.object(Object.fromEntries(keys.map((key) => [key, value])) as { [K in T[number]]: z.ZodType<number> });

const count = z.int().min(0);

/** A money figure the planning core works out (a total may pass the 1e12 pence an input may hold). */
export const amountPenceSchema = z.int().min(0).describe('Money in integer pence');

export const siteCountsSchema = z
  .object({
    total: count,
    byRole: countsBy(siteRoles, count),
    byStatus: countsBy(siteStatuses, count),
    openByRole: countsBy(siteRoles, count).describe('Open sites only'),
  })
  .meta({ id: 'SiteCounts' });

export const staffFiguresSchema = z
  .object({
    fteByKind: countsBy(postKinds, z.number().min(0)),
    postsByKind: countsBy(postKinds, count),
    totalFte: z.number().min(0),
    totalPosts: count,
  })
  .describe('Posts at open sites (a closed site has no posts)')
  .meta({ id: 'StaffFigures' });

export const clusterSchema = z
  .object({
    hubId: z.string().max(100),
    hubName: z.string().max(200),
    hubStatus: z.enum(siteStatuses),
    openSpokes: count,
    spokes: z.array(
      z.object({
        siteId: z.string().max(100),
        siteName: z.string().max(200),
        role: z.enum(['spoke', 'venue']).describe('A venue is a spoke with no staff base: its sessions are staffed from the hub'),
        status: z.enum(siteStatuses),
        distanceM: z.int().min(0).describe('Great-circle distance to the hub, whole metres'),
      }),
    ),
  })
  .describe('A hub (open or closed) with its spokes and venues (openSpokes counts both)')
  .meta({ id: 'Cluster' });

export const networkSummarySchema = z
  .object({
    asOf: dateSchema.nullable().describe('Income counts the streams active on this date; null: every stream'),
    sites: siteCountsSchema,
    annualCost: z.object({
      staffPence: amountPenceSchema,
      premisesPence: amountPenceSchema,
      runningPence: amountPenceSchema,
      centralPence: amountPenceSchema.describe('Central costs (posts and budget lines that belong to no site), rounded once'),
      grossCostPence: amountPenceSchema.describe('staff + premises + running + central'),
    }),
    annualIncomePence: amountPenceSchema.describe(
      'Annual values of the income streams active on asOf; income that needs its site open counts only while the site is open',
    ),
    netCostPence: z.int().describe('gross − income; negative when income exceeds cost'),
    staff: staffFiguresSchema,
    clusters: z.array(clusterSchema),
    areas: z.object({
      count,
      under5s: z.number().min(0),
      byDeprivationDecile: z
        .array(z.object({ decile: z.int().min(1).max(10), areas: count, under5s: z.number().min(0) }))
        .describe('Deciles 1 (most deprived) to 10, each listed'),
    }),
  })
  .meta({ id: 'NetworkSummary' });
export type NetworkSummary = z.output<typeof networkSummarySchema>;
export type SiteCounts = z.output<typeof siteCountsSchema>;
export type StaffFigures = z.output<typeof staffFiguresSchema>;
export type Cluster = z.output<typeof clusterSchema>;
