import type { FastifyReply } from 'fastify';

/** Sends an already serialised CSV document as a download. */
export function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer((payload: unknown) => payload as string)
    .send(csv);
}
