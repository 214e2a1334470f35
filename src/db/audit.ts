import type { FastifyRequest } from 'fastify';
import type { Tx } from './client.js';
import { auditEvents } from './schema.js';

export interface AuditedChange {
  councilId: string | null;
  action: 'create' | 'update' | 'delete';
  resource: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

/** Records who changed what, inside the same transaction as the change itself. */
export async function recordAudit(tx: Tx, request: FastifyRequest, change: AuditedChange) {
  await tx.insert(auditEvents).values({
    councilId: change.councilId,
    actor: request.principal?.actor ?? 'system',
    action: change.action,
    resource: change.resource,
    resourceId: change.resourceId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: request.id,
  });
}
