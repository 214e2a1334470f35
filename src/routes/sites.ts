import { and, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { incomeStreams, posts, sites } from '../db/schema.js';
import { hubChange, hubChangeRefused, hubProblem, runFromHub, spokesHolding, type HubChange, type SiteState } from '../domain/network-rules.js';
import { siteRoles, siteStatuses } from '../domain/types.js';
import { ProblemError } from '../http/problem.js';
import { shareErrors, type SiteInput, siteFields, siteSchema } from '../schemas/resources.js';
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

/** The spokes that hold up `change` of the hub (network-rules.ts). */
async function refuseHubChange(tx: Tx, hubId: string, change: HubChange) {
  const named = eq(sites.hubId, hubId);
  const holding = spokesHolding(change) === 'open' ? and(named, eq(sites.status, 'open')) : named;
  const spokes = await firstCount(tx.select({ n: count() }).from(sites).where(holding));
  if (spokes > 0) throw new ProblemError('conflict', hubChangeRefused(change, spokes));
}

/** A row of the sites table (resource.ts types rows loosely) as the network rules read it. */
const asSite = (row: Record<string, unknown>) => row as unknown as SiteState;

export function siteRules(site: SiteInput) {
  const errors = shareErrors(site, ['clawbackProbability']);
  if (runFromHub(site.role) && !site.hubId) errors.push({ path: '/hubId', message: `a ${site.role} needs the id of its hub` });
  if (!runFromHub(site.role) && site.hubId) errors.push({ path: '/hubId', message: 'only a spoke or a venue has a hub' });
  if (site.capitalClawbackPence > 0 && !site.capitalGrantDate) {
    errors.push({ path: '/capitalGrantDate', message: 'is needed when capitalClawbackPence is above 0 (the clawback runs 25 years from it)' });
  }
  return errors;
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
      create: 'A spoke names its hub, a hub of the same council (an open hub, when the spoke is open).',
      update:
        'JSON merge patch (RFC 7396). A hub cannot be closed while open spokes point at it, nor demoted while any spoke does, until they are reassigned (409). An open spoke needs an open hub.',
      delete: 'A hub with spokes, or a site with posts or income streams, cannot be deleted (409): close it instead.',
    },
    rowChecks: (councilId, next, previous) => {
      const { hubId } = next;
      const change = previous && hubChange(asSite(previous), next);
      if (!hubId && !change) return undefined;
      return async (tx) => {
        if (hubId) {
          if (previous && hubId === previous.id) throw ruleBroken('/hubId', 'a site cannot be its own hub');
          const hub = await siteOfCouncil(tx, councilId, hubId, '/hubId');
          const problem = hubProblem(hub, next.status);
          if (problem) throw ruleBroken('/hubId', `the hub named ${problem}`);
        }
        if (previous && change) await refuseHubChange(tx, previous.id, change);
      };
    },
    beforeDelete: async (tx, _councilId, row) => {
      const change = hubChange(asSite(row), null);
      if (change) await refuseHubChange(tx, row.id, change);
      const postCount = await firstCount(tx.select({ n: count() }).from(posts).where(eq(posts.siteId, row.id)));
      const incomeCount = await firstCount(tx.select({ n: count() }).from(incomeStreams).where(eq(incomeStreams.siteId, row.id)));
      if (postCount + incomeCount > 0) {
        throw new ProblemError('conflict', `This site has ${postCount} post(s) and ${incomeCount} income stream(s): close it instead of deleting it`);
      }
    },
  });
}
