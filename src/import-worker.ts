// The heavy work of imports, run in the import threads of the pool (src/evaluation-pool.ts), apart from
// the threads that evaluate: an import's file parsed and checked, or a council's areas built from the
// ONS and MHCLG files. However many imports are sent, no evaluation waits for one.
import { buildAreasOutcome, type OnsAreasOutcome, type OnsAreasTask } from './imports/ons-areas.js';
import { type ImportParseTask, type ParsedFileSummary, parseFileToLog } from './imports/row-log.js';

export type ImportTask = ImportParseTask | OnsAreasTask | { kind: 'ready' };

export default function work(task: ImportTask): Promise<ParsedFileSummary | OnsAreasOutcome> | null {
  // Sent once when the threads start: the modules above are loaded by now.
  if (task.kind === 'ready') return null;
  if (task.kind === 'ons-areas') return buildAreasOutcome(task);
  return parseFileToLog(task);
}
