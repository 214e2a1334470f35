import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../db/audit.js';
import type { Tx } from '../db/client.js';
import {
  areaWriter,
  centralCostWriter,
  type ImportCounts,
  type ImportWriter,
  incomeStreamWriter,
  outcomeWriter,
  postWriter,
  siteWriter,
} from '../db/imports.js';
import { type EncodingChoice, textEncodings } from '../imports/decode.js';
import type { OnsAreas } from '../imports/ons-areas.js';
import { ImportReport, MAX_REPORTED_ERRORS } from '../imports/report.js';
import { readRowLog } from '../imports/row-log.js';
import { numberedRows, type RowStream } from '../imports/rows.js';
import { type EvaluationPool, ImportsWaitingFull, ImportTimeout } from '../evaluation-pool.js';
import { type ImportKind, importKinds, templateCsv } from '../imports/templates.js';
import { ProblemError, problemResponses } from '../http/problem.js';
import { councilParamsSchema } from '../schemas/common.js';
import { csvResponse, sendCsv } from '../http/csv-reply.js';
import { keepAnswer } from '../http/idempotency.js';
import { drainAfterAnswer, withSpooledUpload } from '../http/upload.js';
import { alreadySerialized, compileSerializer } from '../http/serializer.js';
import { councilTransaction, requireCouncil } from '../db/council-resource.js';

export const importBodyLimitBytes = 64 * 1024 * 1024;
/**
 * An import waits this long at most for its council's lock (another import, say), and each of its
 * statements may run this long: the file is already on this server, so the transaction runs at the
 * pace of the server and the database, never of the client.
 */
const importLimits = { lockWaitMs: 5_000, statementMs: 30_000 };
const csvTypes = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

const reportSchema = z
  .object({
    format: z.string().max(20).nullable().describe('template or dfe-register (sites)'),
    encoding: z.enum(textEncodings).nullable(),
    rowsRead: z.int(),
    validRows: z.int(),
    invalidRows: z.int(),
    errorCount: z.int(),
    errors: z.array(
      z.object({
        line: z.int().describe('Line of the file (the header is line 1; 0 for a problem with the whole import)'),
        row: z.int().nullable(),
        column: z.string().max(200).nullable(),
        reason: z.string().max(1000),
      }),
    ),
    errorsTruncated: z.boolean(),
    maxReportedErrors: z.int().describe(`Errors listed at most (${MAX_REPORTED_ERRORS}); all are counted`),
  })
  .meta({ id: 'ImportReport' });

const importResultSchema = z
  .object({
    importId: z.uuid().describe('Names the import in the audit trail'),
    kind: z.enum(importKinds),
    dryRun: z.boolean(),
    applied: z.boolean().describe('False on a dry run: nothing was written'),
    created: z.int(),
    updated: z.int(),
    removed: z
      .int()
      .describe(
        "Posts replaced (a posts file is the full list for each site it names); outcomes the file does not name (an outcomes file is the council's whole set)",
      ),
    report: reportSchema,
  })
  .meta({ id: 'ImportResult' });

const importQuery = z.object({
  dryRun: z.enum(['true', 'false']).default('false').describe('true: check the file and report, write nothing'),
  encoding: z
    .enum(['auto', ...textEncodings])
    .default('auto')
    .describe("auto: UTF-8, or Windows-1252 (as the DfE register's files) when the bytes are not UTF-8"),
});

/**
 * The import's body in the OpenAPI document: a CSV file, with the template as its example. The route
 * itself reads the body as a stream (no schema validates it), so the document is told here.
 */
function csvBodyDocumented(kind: ImportKind) {
  return (route: Parameters<typeof jsonSchemaTransform>[0]) => {
    const transformed = jsonSchemaTransform(route);
    const body = {
      type: 'string',
      maxLength: importBodyLimitBytes,
      description: `A CSV file with a header line (UTF-8 or Windows-1252), at most ${importBodyLimitBytes / 1_048_576} MiB`,
      examples: [templateCsv(kind).replace(/^\uFEFF/, '')],
    };
    return { ...transformed, schema: { ...transformed.schema, body } };
  };
}

/** Thrown inside the transaction to roll it back while keeping the outcome. */
class RolledBack extends Error {
  constructor(readonly result: { counts: ImportCounts; report: ImportReport }) {
    super('rolled back');
  }
}

/** What an import's work does, for its problems: "The file was not read", the field it concerns, what to do. */
interface ImportWork {
  notDone: string;
  path: string;
  advice: string;
}

/**
 * The import's work in the pool's import threads; a 503 naming the limit, with Retry-After, when as many
 * imports wait already as may wait, or when waiting and working take longer than IMPORT_TIME_LIMIT_MS.
 */
async function inImportThread<T>(reply: FastifyReply, what: ImportWork, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportsWaitingFull) {
      reply.header('retry-after', '30');
      throw new ProblemError(
        'service-unavailable',
        `${error.waiting} import(s) already wait for this server's ${error.threads} import thread(s) (IMPORT_THREADS), as many as may wait: ` +
          'nothing was imported; retry later',
        [{ path: what.path, message: `${error.waiting} import(s) wait already (the limit)` }],
      );
    }
    if (!(error instanceof ImportTimeout)) throw error;
    reply.header('retry-after', '30');
    throw new ProblemError(
      'service-unavailable',
      `${what.notDone} within the time limit of ${error.limitMs / 1000} s (IMPORT_TIME_LIMIT_MS), its wait for an import thread included, ` +
        `and was stopped: nothing was imported; ${what.advice}`,
      [{ path: what.path, message: `took longer than the time limit of ${error.limitMs} ms` }],
    );
  }
}

/** The spooled file parsed and checked in an import thread (src/imports/row-log.ts), as the rows to write. */
async function parsedInPool(pool: EvaluationPool, reply: FastifyReply, kind: ImportKind, filePath: string, encoding: EncodingChoice) {
  const logPath = `${filePath}.rows`;
  const what = { notDone: 'The file was not read', path: 'file', advice: 'send a smaller file, or retry later' };
  const summary = await inImportThread(reply, what, () => pool.parseImport({ importKind: kind, encoding, filePath, logPath }));
  return readRowLog(logPath, summary);
}

/** The council's areas built from the ONS and MHCLG files in an import thread (src/imports/ons-areas.ts). */
async function onsAreasInPool(pool: EvaluationPool, reply: FastifyReply, dataDir: string, localAuthorityCode: string): Promise<OnsAreas> {
  const what = { notDone: 'The areas were not built', path: '/localAuthorityCode', advice: 'retry later' };
  const outcome = await inImportThread(reply, what, () => pool.buildOnsAreas({ dataDir, localAuthorityCode }));
  switch (outcome.status) {
    case 'built':
      return outcome.built;
    case 'not-a-local-authority':
      throw new ProblemError('rule-violation', outcome.message, [{ path: '/localAuthorityCode', message: outcome.message }]);
    case 'files-missing':
      throw new ProblemError('conflict', 'The ONS and MHCLG files are not installed on this server (see ONS_DATA_DIR)');
  }
}

interface Importer<T> {
  writer: (tx: Tx, councilId: string, report: ImportReport) => Promise<ImportWriter<T>> | ImportWriter<T>;
  description: string;
}

const importers: { [K in ImportKind]: Importer<never> } = {
  sites: {
    writer: siteWriter,
    description:
      "Our template, or the DfE register's columns (URN, EstablishmentName, Postcode, Easting/Northing or lat/lon, TypeOfEstablishment, " +
      'EstablishmentStatus). Upserts by URN, or by name + postcode without one: a re-import updates, never duplicates. A spoke names its hub ' +
      '(hubUrn or hubName) anywhere in the file or already in the network.',
  },
  areas: { writer: areaWriter, description: 'LSOA demand areas; upserts by code.' },
  posts: {
    writer: postWriter,
    description: "Staff posts by site (siteUrn or siteName). The file is each named site's full establishment: its old posts are replaced.",
  },
  'income-streams': {
    writer: incomeStreamWriter,
    description: 'Income streams; upserts by partner, kind, site and start date.',
  },
  'central-costs': {
    writer: centralCostWriter,
    description:
      'Central costs (posts and budget lines that belong to no site): a post has fte and annualCostPerFtePence, a budget line annualBudgetPence. Upserts by title.',
  },
  outcomes: {
    writer: outcomeWriter,
    description:
      'Outcomes for the economic case: one column per field of an outcome, named as in the JSON API (empty: the default, or null), checked by the ' +
      "same rules as POST …/outcomes. The file is the council's whole set: upserts by name (unique within a council) and removes the outcomes " +
      "it does not name (a dry run counts them first). GET …/outcomes.csv gives the council's outcomes in this form.",
  },
} as never;

export interface ImportDependencies {
  /** Folder of the ONS/MHCLG files for building areas from a local-authority code. */
  onsDataDir: string;
}

export function registerImports(app: FastifyInstance, deps: ImportDependencies) {
  const serializeImportResult = compileSerializer(importResultSchema, app.serializerCompiler);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Imports'];
  // The body stays a stream: files are parsed as they arrive, in bounded memory.
  app.addContentTypeParser(csvTypes, (_request, payload, done) => done(null, payload));

  /** Applies rows in one transaction; rolls back on any bad row or on a dry run. */
  async function runImport<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: ImportKind,
    stream: RowStream<T>,
    writerFor: Importer<T>['writer'],
    dryRun: boolean,
  ) {
    const { councilId } = request.params as { councilId: string };
    const importId = randomUUID();
    const answerJson = ({ counts, report }: { counts: ImportCounts; report: ImportReport }) =>
      serializeImportResult({ importId, kind, dryRun, applied: !dryRun, ...counts, report: report.toJSON() });
    let outcome: { counts: ImportCounts; report: ImportReport };
    // The answer of an applied import, kept for Idempotency-Key replays in its own transaction.
    let applied: string | undefined;
    try {
      // Rolled back whole on a dry run or a bad file.
      outcome = await councilTransaction(
        app.db,
        councilId,
        async (tx) => {
          const writer = await writerFor(tx, councilId, stream.report);
          for await (const batch of stream.batches) {
            // Once the file is known to be bad, keep reading only to report every bad row.
            if (stream.report.ok) await writer.write(batch);
          }
          if (stream.report.ok) await writer.finish();
          const result = { counts: writer.counts, report: stream.report };
          if (!stream.report.ok || dryRun) throw new RolledBack(result);
          await recordAudit(tx, request, {
            councilId,
            action: 'create',
            resource: 'imports',
            resourceId: importId,
            after: { kind, ...writer.counts, rows: stream.report.validRows },
          });
          applied = answerJson(result);
          await keepAnswer(tx, request, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: applied });
          return result;
        },
        importLimits,
      );
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
      outcome = error.result;
    }
    const { report } = outcome;
    if (!report.ok) {
      throw new ProblemError(
        'rule-violation',
        `The file has ${report.errorCount} problem(s) in ${report.invalidRows} row(s): nothing was imported`,
        report.errors.map((e) => ({ path: `line ${e.line}${e.column ? `, column ${e.column}` : ''}`, message: e.reason })),
        { report: report.toJSON() },
      );
    }
    return reply
      .type('application/json; charset=utf-8')
      .serializer(alreadySerialized)
      .send(applied ?? answerJson(outcome));
  }

  for (const kind of importKinds) {
    const importer = importers[kind] as Importer<unknown>;
    r.post(
      `/councils/:councilId/imports/${kind}`,
      {
        bodyLimit: importBodyLimitBytes,
        // Refused before the file's end (413, say): the rest is read and dropped, so the client sees the answer.
        onResponse: (request, _reply, done) => {
          drainAfterAnswer(request);
          done();
        },
        config: { swaggerTransform: csvBodyDocumented(kind) },
        schema: {
          operationId: `import${kind
            .split('-')
            .map((word) => word[0]!.toUpperCase() + word.slice(1))
            .join('')}`,
          tags,
          summary: `Import ${kind.replace('-', ' ')} from CSV, all or nothing`,
          description:
            `${importer.description} Send the file as the body with Content-Type: text/csv. One transaction: a file with any bad row ` +
            `imports nothing and answers 422 with a report of each bad row, column and reason (the first ${MAX_REPORTED_ERRORS}). ` +
            `Template: GET …/imports/templates/${kind}.csv.`,
          params: councilParamsSchema,
          querystring: importQuery,
          consumes: csvTypes,
          response: { 200: importResultSchema, ...problemResponses(400, 401, 403, 404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new ProblemError('unsupported-media-type', 'Send the CSV file as the body with Content-Type: text/csv');
        }
        // The whole file first, then its parsing in a worker, then the database: a slow client holds no
        // transaction or lock, and a large file never holds up the event loop.
        return withSpooledUpload(request, body, importBodyLimitBytes, async (path) => {
          const stream = await parsedInPool(app.evaluations, reply, kind, path, request.query.encoding);
          return runImport(request, reply, kind, stream, importer.writer, request.query.dryRun === 'true');
        });
      },
    );
  }

  r.post(
    '/councils/:councilId/imports/areas/ons',
    {
      schema: {
        operationId: 'importAreasFromOns',
        tags,
        summary: "Build the council's areas from the ONS and MHCLG open data",
        description:
          '2021 LSOAs of a local authority with their population-weighted centroids, IMD 2019 deciles (via the 2011→2021 lookup) and an ' +
          'estimate of under-5s (5/16 of the IoD2019 0–15 population). Upserts by LSOA code.',
        params: councilParamsSchema,
        querystring: importQuery.pick({ dryRun: true }),
        body: z
          .strictObject({
            localAuthorityCode: z
              .string()
              .regex(/^E\d{8}$/, 'must be an English local-authority code such as E08000012')
              .max(9)
              .optional()
              .describe("Default: the council's own code"),
          })
          .default({})
          .meta({ examples: [{ localAuthorityCode: 'E08000012' }] }),
        response: { 200: importResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { councilId } = request.params;
      const council = await requireCouncil(app.db, councilId);
      const built = await onsAreasInPool(app.evaluations, reply, deps.onsDataDir, request.body.localAuthorityCode ?? council.code);
      const report = new ImportReport();
      report.format = 'ons';
      report.rowsRead = report.validRows = built.areas.length;
      const batches = (async function* () {
        yield numberedRows(built.areas);
      })();
      return runImport(request, reply, 'areas', { batches, report }, areaWriter, request.query.dryRun === 'true');
    },
  );

  r.get(
    '/councils/:councilId/imports/templates/:kind',
    {
      schema: {
        operationId: 'getImportTemplate',
        tags,
        summary: 'A CSV template: the header and one example row',
        params: councilParamsSchema.extend({
          kind: z
            .enum(importKinds.map((kind) => `${kind}.csv`) as [string, ...string[]])
            .describe('sites.csv, areas.csv, posts.csv, income-streams.csv, central-costs.csv or outcomes.csv'),
        }),
        response: {
          200: csvResponse('The template'),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      await requireCouncil(app.db, request.params.councilId);
      const kind = request.params.kind.replace(/\.csv$/, '') as ImportKind;
      return sendCsv(reply, `${kind}.csv`, templateCsv(kind));
    },
  );
}
