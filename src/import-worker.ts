// The heavy work of imports, run in the import threads of the pool (src/evaluation-pool.ts), apart from
// the threads that evaluate: however many imports are sent, no evaluation waits for one.
import { type ImportParseTask, type ParsedFileSummary, parseFileToLog } from './imports/row-log.js';

export type ImportTask = ImportParseTask | { kind: 'ready' };

export default function work(task: ImportTask): Promise<ParsedFileSummary> | null {
  // Sent once when the threads start: the modules above are loaded by now.
  if (task.kind === 'ready') return null;
  return parseFileToLog(task);
}
