// An import's file is parsed and checked in a worker thread of the pool (src/evaluation-pool.ts), never on
// the event loop. The worker writes what it finds, in the file's order, to a log next to the spooled
// upload: each valid row, each rejected row with its issues, each problem with the whole file. The event
// loop then reads the log back as the rows the import writes, filling in the report as the parse itself
// would have: the same counts, the same errors in the same order, whatever the writers add in between.
// On disk, memory stays bounded whatever the file's size: a chunk of the log at a time on either side.
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { parseAreas } from './areas.js';
import { parseCentralCosts } from './central-costs.js';
import type { EncodingChoice, TextEncoding } from './decode.js';
import { parseIncomeStreams } from './income-streams.js';
import { parseOutcomes } from './outcomes.js';
import { parsePosts } from './posts.js';
import { ImportReport, type RowError, type RowIssue } from './report.js';
import type { ParsedRow, ParseOptions, RowStream } from './rows.js';
import { parseSites } from './sites.js';
import type { ImportKind } from './templates.js';

const parsers: { [K in ImportKind]: (source: AsyncIterable<Uint8Array>, options: ParseOptions) => RowStream<unknown> } = {
  sites: parseSites,
  areas: parseAreas,
  posts: parsePosts,
  'income-streams': parseIncomeStreams,
  'central-costs': parseCentralCosts,
  outcomes: parseOutcomes,
};

/** A line of the log: a valid row, a rejected row, or a problem with the whole file. */
type LogEntry = { valid: [row: number, line: number, value: unknown] } | { rejected: [row: number, line: number, issues: RowIssue[]] } | { error: RowError };

/** A worker ended mid-way (past the time limit) leaks no file: Node closes the files a worker opened when it ends. */
export interface ImportParseTask {
  kind: 'import';
  importKind: ImportKind;
  encoding: EncodingChoice;
  /** The spooled upload. */
  filePath: string;
  /** Where the log is written. */
  logPath: string;
}

/** What the log does not say: read once the header is. */
export interface ParsedFileSummary {
  format: string | null;
  encoding: TextEncoding | null;
}

/** Sends every problem to the log instead of keeping it; the counts are made when the log is read back. */
class LoggedReport extends ImportReport {
  constructor(private readonly log: (entry: LogEntry) => void) {
    super();
  }

  override addError(error: RowError): void {
    this.log({ error });
  }

  override rejectRow(row: number, line: number, issues: readonly RowIssue[]): void {
    this.log({ rejected: [row, line, [...issues]] });
  }
}

const flushChars = 1 << 20;

/** In a worker: parses and checks the file, writing the log. */
export async function parseFileToLog(task: ImportParseTask): Promise<ParsedFileSummary> {
  const logFd = openSync(task.logPath, 'w');
  let pending = '';
  const flush = () => {
    if (pending) writeSync(logFd, pending);
    pending = '';
  };
  const log = (entry: LogEntry) => {
    pending += `${JSON.stringify(entry)}\n`;
    if (pending.length >= flushChars) flush();
  };
  const report = new LoggedReport(log);
  const { batches } = parsers[task.importKind](createReadStream(task.filePath), { encoding: task.encoding, report });
  try {
    for await (const batch of batches) for (const { row, line, value } of batch) log({ valid: [row, line, value] });
    flush();
  } finally {
    closeSync(logFd);
  }
  return { format: report.format, encoding: report.encoding };
}

/** On the event loop: the log as the rows to write, with the report they fill in as they are read. */
export function readRowLog(logPath: string, summary: ParsedFileSummary): RowStream<unknown> {
  const report = new ImportReport();
  report.format = summary.format;
  report.encoding = summary.encoding;
  async function* batches(): AsyncGenerator<ParsedRow<unknown>[]> {
    // Lines are split here, a chunk at a time: a line at a time (readline) costs promises for each.
    let partLine = '';
    for await (const chunk of createReadStream(logPath, { encoding: 'utf8' })) {
      const lines = (partLine + chunk).split('\n');
      partLine = lines.pop()!;
      let batch: ParsedRow<unknown>[] = [];
      for (const text of lines) {
        const entry = JSON.parse(text) as LogEntry;
        if ('valid' in entry) {
          const [row, line, value] = entry.valid;
          report.rowsRead += 1;
          report.validRows += 1;
          batch.push({ row, line, value });
          continue;
        }
        if (batch.length > 0) yield batch;
        batch = [];
        if ('rejected' in entry) {
          report.rowsRead += 1;
          report.rejectRow(...entry.rejected);
        } else {
          report.addError(entry.error);
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
  return { batches: batches(), report };
}
