import { and, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { incomeStreams, posts, sites } from '../db/schema.js';
import { siteRoles, siteStatuses } from '../domain/types.js';
import { ProblemError } from '../http/problem.js';
import { type SiteInput, siteFields, siteSchema } from '../schemas/resources.js';
import { uuidSchema } from '../schemas/common.js';
import { registerResource } from './resource.js';

const ruleBroken = (path: string, message: string) => new ProblemError('rule-violation', message, [{ path, message }]);

/**
 * Loads a site of this council for a rule check, or says that the id names none. The site stays locked
 * against change until the write ends (FOR SHARE): a create takes no council lock, so without it a hub
 * could close between the check of a new spoke and its commit.
 */
export async function siteOfCouncil(tx: Tx, councilId: string, siteId: string, path: string) {
  const [site] = await tx
    .select({ id: sites.id, role: sites.role, status: sites.status })
    .from(sites)
    .where(and(eq(sites.id, siteId), eq(sites.councilId, councilId)))
    .for('share');
  if (!site) throw ruleBroken(path, `${siteId} is not a site of this council`);
  return site;
}

async function firstCount(query: Promise<{ n: number }[]>) {
  const [row] = await query;
  return row?.n ?? 0;
}

const spokeCount = (tx: Tx, hubId: string) => firstCount(tx.select({ n: count() }).from(sites).where(eq(sites.hubId, hubId)));

export function siteRules(site: SiteInput) {
  if (site.role === 'spoke' && !site.hubId) return [{ path: '/hubId', message: 'a spoke needs the id of its hub' }];
  if (site.role !== 'spoke' && site.hubId) return [{ path: '/hubId', message: 'only a spoke has a hub' }];
  return [];
}

export function registerSites(app: FastifyInstance) {
  registerResource<SiteInput>(app, {
    table: sites,
    path: 'sites',
    idParam: 'siteId',
    nouns: ['Site', 'Sites'],
    label: 'site',
    tag: 'Sites',
    fields: siteFields,
    output: siteSchema,
    rules: siteRules,
    network: {
      rows: (network) => network.sites,
      filters: z.object({ role: z.enum(siteRoles).optional(), status: z.enum(siteStatuses).optional(), hubId: uuidSchema.optional() }),
    },
    patchExample: { openingHoursPerWeek: 37.5, services: ['antenatal', 'stay_and_play'] },
    createExample: {
      name: 'Clubmoor Family Hub',
      urn: '20463',
      role: 'hub',
      status: 'open',
      lat: 53.442539,
      lon: -2.929649,
      postcode: 'L11 1DQ',
      address: 'Utting Avenue East, Norris Green, Liverpool',
      openingHoursPerWeek: 45,
      services: ['antenatal', 'health_visiting', 'stay_and_play'],
      annualPremisesCostPence: 9_500_000,
      annualRunningCostPence: 6_000_000,
    },
    descriptions: {
      create: 'A spoke names its hub, which must be an open hub of the same council.',
      update:
        'JSON merge patch (RFC 7396). A hub that spokes point at cannot be closed or demoted until they are reassigned (409).',
      delete: 'A hub with spokes, or a site with posts or income streams, cannot be deleted (409): close it instead.',
    },
    rowChecks: (councilId, next, previous) => {
      const { hubId } = next;
      const leavesSpokes = previous?.role === 'hub' && (next.role !== 'hub' || next.status !== 'open');
      if (!hubId && !leavesSpokes) return undefined;
      return async (tx) => {
        if (hubId) {
          if (previous && hubId === previous.id) throw ruleBroken('/hubId', 'a site cannot be its own hub');
          const hub = await siteOfCouncil(tx, councilId, hubId, '/hubId');
          if (hub.role !== 'hub') throw ruleBroken('/hubId', 'the hub named is not a hub');
          if (hub.status !== 'open') throw ruleBroken('/hubId', 'the hub named is closed');
        }
        if (previous && leavesSpokes) {
          const spokes = await spokeCount(tx, previous.id);
          if (spokes > 0) {
            throw new ProblemError('conflict', `This hub has ${spokes} spoke(s): reassign them before closing or demoting it`);
          }
        }
      };
    },
    beforeDelete: async (tx, _councilId, row) => {
      const spokes = await spokeCount(tx, row.id);
      if (spokes > 0) throw new ProblemError('conflict', `This hub has ${spokes} spoke(s): reassign them first`);
      const postCount = await firstCount(tx.select({ n: count() }).from(posts).where(eq(posts.siteId, row.id)));
      const incomeCount = await firstCount(tx.select({ n: count() }).from(incomeStreams).where(eq(incomeStreams.siteId, row.id)));
      if (postCount + incomeCount > 0) {
        throw new ProblemError(
          'conflict',
          `This site has ${postCount} post(s) and ${incomeCount} income stream(s): close it instead of deleting it`,
        );
      }
    },
  });
}
