import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type NetworkRows, toDomainNetwork } from '../db/network.js';
import { networkToGeoJson } from '../domain/geojson.js';
import { networkToCsv } from '../domain/network-csv.js';
import { summariseNetwork } from '../domain/network.js';
import { csvResponse, sendCsv } from '../http/csv-reply.js';
import { compileSerializer, sendSerializedOnce } from '../http/serializer.js';
import { problemResponses } from '../http/problem.js';
import { councilParamsSchema, dateSchema } from '../schemas/common.js';
import { networkSummarySchema } from '../schemas/network-summary.js';
import { centralCostSchema, incomeStreamSchema, postSchema, siteSchema } from '../schemas/resources.js';
import { loadNetworkOrNotFound, toApi } from '../db/council-resource.js';

const networkSchema = z
  .object({
    council: z.object({ id: z.uuid(), code: z.string().max(9), name: z.string().max(200) }),
    sites: z.array(siteSchema),
    posts: z.array(postSchema),
    incomeStreams: z.array(incomeStreamSchema),
    centralCosts: z.array(centralCostSchema).describe('Posts and budget lines that belong to no site'),
    summary: networkSummarySchema,
  })
  .meta({ id: 'Network' });

const geoJsonSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string().max(100),
        geometry: z.object({ type: z.enum(['Point', 'LineString']), coordinates: z.array(z.unknown()) }),
        properties: z.record(z.string().max(100), z.unknown()),
      }),
    ),
  })
  .describe('RFC 7946: sites (kind site) and areas (kind area) as points, spoke→hub links (kind spoke_link) as lines; [lon, lat]')
  .meta({ id: 'NetworkGeoJson' });

const geoJsonType = 'application/geo+json';

const today = () => new Date().toISOString().slice(0, 10);

// The latest answer for each reading of a network (a kept network is read by many callers, mostly for today).
const networkResponses = new WeakMap<NetworkRows, { asOf: string; response: object }>();

function networkResponse(rows: NetworkRows, asOf: string): object {
  const kept = networkResponses.get(rows);
  if (kept?.asOf === asOf) return kept.response;
  const { council } = rows;
  const response = {
    council: { id: council.id, code: council.code, name: council.name },
    sites: rows.sites.map(toApi),
    posts: rows.posts.map(toApi),
    incomeStreams: rows.incomeStreams.map(toApi),
    centralCosts: rows.centralCosts.map(toApi),
    summary: summariseNetwork(toDomainNetwork(rows), asOf),
  };
  networkResponses.set(rows, { asOf, response });
  return response;
}

export function registerNetwork(app: FastifyInstance) {
  const serializeNetwork = compileSerializer(networkSchema, app.serializerCompiler);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Network'];

  r.get(
    '/councils/:councilId/network',
    {
      schema: {
        operationId: 'getNetwork',
        tags,
        summary: 'The whole network in one read',
        description:
          'Sites with their hub links, posts, income streams, central costs, and a summary: counts by role and status, annual cost by category, ' +
          'income, net cost, FTE by kind, clusters (each spoke with its distance to its hub) and area totals. ' +
          'As GeoJSON: …/network.geojson; as CSV, one row per site: …/network.csv.',
        params: councilParamsSchema,
        querystring: z.object({
          asOf: dateSchema.optional().describe('Income counts the streams active on this date; default today (UTC)'),
        }),
        response: {
          200: networkSchema,
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const rows = await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      return sendSerializedOnce(reply, networkResponse(rows, request.query.asOf ?? today()), serializeNetwork);
    },
  );

  r.get(
    '/councils/:councilId/network.geojson',
    {
      schema: {
        operationId: 'getNetworkGeoJson',
        tags,
        summary: 'The network as GeoJSON, for any map client',
        params: councilParamsSchema,
        response: {
          200: { description: 'GeoJSON FeatureCollection', content: { [geoJsonType]: { schema: geoJsonSchema } } },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const rows = await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      return reply.type(geoJsonType).send(networkToGeoJson(toDomainNetwork(rows)));
    },
  );

  r.get(
    '/councils/:councilId/network.csv',
    {
      schema: {
        operationId: 'getNetworkCsv',
        tags,
        summary: 'The network as CSV: one row per site with its hub, staff, costs and income, then one per central cost',
        params: councilParamsSchema,
        querystring: z.object({ asOf: dateSchema.optional().describe('Income active on this date; default today (UTC)') }),
        response: {
          200: csvResponse('One row per site, then one per central cost (its centralCostId, category and annualCentralPence)'),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const rows = await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      return sendCsv(reply, 'network.csv', networkToCsv(toDomainNetwork(rows), request.query.asOf ?? today()));
    },
  );
}
