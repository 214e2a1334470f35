import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { areas } from '../db/schema.js';
import { type AreaInput, areaFields, areaSchema } from '../schemas/resources.js';
import { registerResource } from './resource.js';

export function registerAreas(app: FastifyInstance) {
  registerResource<AreaInput>(app, {
    table: areas,
    path: 'areas',
    idParam: 'areaId',
    nouns: ['Area', 'Areas'],
    label: 'area',
    tag: 'Areas',
    fields: areaFields,
    output: areaSchema,
    network: {
      rows: (network) => network.areas,
      filters: z.object({ deprivationDecile: z.coerce.number().int().min(1).max(10).optional() }),
    },
    patchExample: { under5Population: 120 },
    createExample: {
      code: 'E01006512',
      name: 'Liverpool 031A',
      lat: 53.4058,
      lon: -2.9693,
      under5Population: 96,
      deprivationDecile: 1,
      idaciDecile: 1,
    },
  });
}
