import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { incomeStreams } from '../db/schema.js';
import { incomeKinds } from '../domain/types.js';
import { type IncomeStreamInput, incomeStreamFields, incomeStreamSchema, shareErrors } from '../schemas/resources.js';
import { uuidSchema } from '../schemas/common.js';
import { registerResource } from './resource.js';
import { siteOfCouncil } from './sites.js';

export function incomeStreamRules(income: IncomeStreamInput) {
  const errors = shareErrors(income, ['renewalProbability']);
  if (income.endDate && income.endDate < income.startDate) errors.push({ path: '/endDate', message: 'must not be before startDate' });
  if (income.requiresSiteOpen && !income.siteId) errors.push({ path: '/siteId', message: 'is needed when requiresSiteOpen is true' });
  return errors;
}

export function registerIncomeStreams(app: FastifyInstance) {
  registerResource<IncomeStreamInput>(app, {
    table: incomeStreams,
    path: 'income-streams',
    idParam: 'incomeStreamId',
    nouns: ['IncomeStream', 'IncomeStreams'],
    label: 'income stream',
    tag: 'Income streams',
    fields: incomeStreamFields,
    output: incomeStreamSchema,
    rules: incomeStreamRules,
    network: {
      rows: (network) => network.incomeStreams,
      filters: z.object({ siteId: uuidSchema.optional(), kind: z.enum(incomeKinds).optional() }),
    },
    patchExample: { endDate: '2030-03-31' },
    createExample: {
      partner: 'Liverpool University Hospitals NHS Foundation Trust',
      kind: 'health_contract',
      annualValuePence: 15_000_000,
      startDate: '2026-04-01',
      endDate: '2029-03-31',
      siteId: '3f1c8f0e-2b7a-4d7e-9a39-2f1d5c0b6e21',
      requiresSiteOpen: true,
    },
    rowChecks: (councilId, { siteId }) =>
      siteId
        ? async (tx) => {
            await siteOfCouncil(tx, councilId, siteId, '/siteId');
          }
        : undefined,
  });
}
