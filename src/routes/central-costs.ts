import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { centralCosts } from '../db/schema.js';
import { centralCostCategories } from '../domain/types.js';
import type { ProblemFieldError } from '../http/problem.js';
import { type CentralCostInput, centralCostFields, centralCostSchema } from '../schemas/resources.js';
import { registerResource } from './resource.js';

/** A central cost is a post (fte and annualCostPerFtePence) or a budget line (annualBudgetPence), never both. */
export function centralCostRules(line: CentralCostInput): ProblemFieldError[] {
  const hasFte = line.fte != null;
  const hasCost = line.annualCostPerFtePence != null;
  const hasBudget = line.annualBudgetPence != null;
  if (hasBudget && (hasFte || hasCost))
    return [{ path: '/annualBudgetPence', message: 'a budget line has no fte or annualCostPerFtePence: give one or the other' }];
  if (hasBudget) return [];
  if (!hasFte && !hasCost)
    return [{ path: '/annualBudgetPence', message: 'give annualBudgetPence (a budget line) or fte with annualCostPerFtePence (a post)' }];
  if (!hasFte) return [{ path: '/fte', message: 'a post needs fte with annualCostPerFtePence' }];
  if (!hasCost) return [{ path: '/annualCostPerFtePence', message: 'a post needs annualCostPerFtePence with fte' }];
  return [];
}

export function registerCentralCosts(app: FastifyInstance) {
  registerResource<CentralCostInput>(app, {
    table: centralCosts,
    path: 'central-costs',
    idParam: 'centralCostId',
    nouns: ['CentralCost', 'CentralCosts'],
    label: 'central cost',
    tag: 'Central costs',
    fields: centralCostFields,
    output: centralCostSchema,
    rules: centralCostRules,
    network: {
      rows: (network) => network.centralCosts,
      filters: z.object({ category: z.enum(centralCostCategories).optional() }),
    },
    patchExample: { fte: 2 },
    createExample: { title: 'Head of early help', category: 'central_management', fte: 1, annualCostPerFtePence: 7_400_000 },
    descriptions: {
      create:
        "A post (fte and annualCostPerFtePence) or a budget line (annualBudgetPence) of the council's network that belongs to no site: back office, central management, a commissioning budget. It counts in the network's cost (central) and scenarios change it with change_central_cost.",
    },
  });
}
