import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { alreadySerialized } from './serializer.js';

export const csvMediaType = 'text/csv';

// No CSV answer is longer than V8 lets one string be (2^29 − 24 characters): it is made as one.
const csvDocumentSchema = z
  .string()
  .max(2 ** 29 - 24)
  .describe(
    'CSV (RFC 4180): a UTF-8 byte-order mark, a header line, CRLF line ends; money in pence (with pounds beside it in reports; not in the forms an import takes back); cells a spreadsheet would run as formulas start with an apostrophe',
  );

/** The OpenAPI entry of an answer that is a CSV document. */
export function csvResponse(description: string, example?: string) {
  const schema = example === undefined ? csvDocumentSchema : csvDocumentSchema.meta({ examples: [example] });
  return { description, content: { [csvMediaType]: { schema } } };
}

/** Sends an already serialised CSV document as a download. */
export function sendCsv(reply: FastifyReply, filename: string, csv: string | Buffer) {
  return reply
    .type(`${csvMediaType}; charset=utf-8`)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer(alreadySerialized)
    .send(csv);
}
