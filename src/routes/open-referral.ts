import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listedService, openReferralPage, openReferralProfile, openReferralServices, openReferralVersion } from '../domain/open-referral.js';
import { notFound, problemResponses } from '../http/problem.js';
import { councilParamsSchema, uuidSchema } from '../schemas/common.js';
import { loadNetworkOrNotFound } from '../db/council-resource.js';

const text = (max: number) => z.string().max(max);
const organizationSchema = z.object({ id: z.uuid(), name: text(200), description: text(300) });
const serviceFields = {
  id: z.uuid(),
  organization_id: z.uuid(),
  name: text(100),
  description: text(500),
  status: z.enum(['active', 'inactive', 'defunct', 'temporarily closed']),
  last_modified: z.iso.datetime(),
  organization: organizationSchema,
};
const listedServiceSchema = z.object(serviceFields).meta({ id: 'OpenReferralListedService' });
const serviceSchema = z
  .object({
    ...serviceFields,
    service_at_locations: z.array(
      z.object({
        id: z.uuid(),
        service_id: z.uuid(),
        location_id: z.uuid(),
        location: z.object({
          id: z.uuid(),
          location_type: z.literal('physical'),
          name: text(200),
          description: text(100),
          latitude: z.number().min(-90).max(90),
          longitude: z.number().min(-180).max(180),
          addresses: z.array(
            z.object({
              id: z.uuid(),
              location_id: z.uuid(),
              address_1: text(500),
              city: text(200),
              state_province: text(50),
              postal_code: text(10),
              country: z.literal('GB'),
              address_type: z.literal('physical'),
            }),
          ),
        }),
      }),
    ),
  })
  .describe('An Open Referral UK service (HSDS 3.0) with its locations')
  .meta({ id: 'OpenReferralService' });

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('Page number, from 1'),
  per_page: z.coerce.number().int().min(1).max(500).default(50).describe('Services a page: default 50, maximum 500'),
});
const pageSchema = z
  .object({
    total_items: z.int().min(0),
    total_pages: z.int().min(1),
    page_number: z.int().min(1),
    size: z.int().min(0),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(listedServiceSchema),
  })
  .meta({ id: 'OpenReferralServicePage' });

/**
 * The council's open sites and the services they offer as an Open Referral UK feed, the API a
 * family-services directory pulls: the API's description, the services page by page, and each service
 * with its locations (src/domain/open-referral.ts).
 */
export function registerOpenReferral(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Open Referral UK'];
  const base = '/councils/:councilId/open-referral';
  const servicesOf = async (councilId: string) => {
    const { council, sites } = await loadNetworkOrNotFound(app.networkCache, councilId);
    return openReferralServices(council, sites);
  };

  r.get(
    base,
    {
      schema: {
        operationId: 'getOpenReferralApi',
        tags,
        summary: 'The Open Referral UK feed: its version and profile',
        params: councilParamsSchema,
        response: {
          200: z.object({ version: text(10), profile: z.url().max(200), openapi_url: z.url().max(200) }).meta({ id: 'OpenReferralApi' }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      return {
        version: openReferralVersion,
        profile: openReferralProfile,
        openapi_url: 'https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json',
      };
    },
  );

  r.get(
    `${base}/services`,
    {
      schema: {
        operationId: 'listOpenReferralServices',
        tags,
        summary: "The services the council's open sites offer, as Open Referral UK services",
        description: 'One service per kind of service offered, provided by the council; GET …/services/{serviceId} adds its locations.',
        params: councilParamsSchema,
        querystring: pageQuery,
        response: { 200: pageSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const services = await servicesOf(request.params.councilId);
      return openReferralPage(services.map(listedService), request.query.page, request.query.per_page);
    },
  );

  r.get(
    `${base}/services/:serviceId`,
    {
      schema: {
        operationId: 'getOpenReferralService',
        tags,
        summary: 'An Open Referral UK service with the open sites that offer it',
        params: councilParamsSchema.extend({ serviceId: uuidSchema }),
        response: { 200: serviceSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const service = (await servicesOf(request.params.councilId)).find((s) => s.id === request.params.serviceId);
      if (!service) throw notFound('The service');
      return service;
    },
  );
}
