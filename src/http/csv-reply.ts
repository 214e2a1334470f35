import type { FastifyReply } from 'fastify';
import { alreadySerialized } from './serializer.js';

/** Sends an already serialised CSV document as a download. */
export function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer(alreadySerialized)
    .send(csv);
}
