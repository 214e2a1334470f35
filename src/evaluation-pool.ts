import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { projectPath } from './paths.js';
import { AnswerCache } from './evaluation-cache.js';
import { type WorkerModule, workerBundle } from './worker-bundle.js';
import type { EvaluationOutcome, EvaluationTask, PoolTask } from './evaluation-worker.js';
import type { Network } from './domain/types.js';
import type { ImportTask } from './import-worker.js';
import type { OnsAreasOutcome, OnsAreasTask } from './imports/ons-areas.js';
import type { ImportParseTask, ParsedFileSummary } from './imports/row-log.js';

// `npm start` runs the bundle, whose workers are dist/evaluation-worker.js and dist/import-worker.js
// (scripts/build.mjs); from the sources (tests, development) the workers run a bundle of theirs made on
// the fly (src/worker-bundle.ts), with stack traces pointing into src/, and nothing else the process was
// started with (a test runner's instrumentation) slows them. The path, not the URL: a module imported
// through a test's mock carries a query after its name.
const fromSources = new URL(import.meta.url).pathname.endsWith('.ts');
const workerModule = async (name: WorkerModule) =>
  fromSources
    ? { filename: pathToFileURL(await workerBundle(name)).href, execArgv: ['--enable-source-maps'] }
    : { filename: pathToFileURL(projectPath('dist', `${name}.js`)).href, execArgv: [] };

/**
 * Defaults of the limits on the pool's work (README "Limits"). An import's file gets longer than an
 * evaluation: the largest allowed one takes tens of seconds to parse and check on a busy machine.
 */
export const evaluationDefaults = { timeLimitMs: 10_000, importTimeLimitMs: 60_000, importsWaiting: 10, cacheBytes: 256 * 1_048_576 };

export interface EvaluationPoolOptions {
  /** Threads for evaluations, comparisons and pages; default the machine's cores, at least 2. */
  threads?: number;
  /** Threads for imports, apart from the others; default half the threads for evaluations, at least 1. */
  importThreads?: number;
  /** A request's evaluation is stopped (its worker ended) past this. */
  timeLimitMs: number;
  /** An import's work is stopped past this, its wait for an import thread included. */
  importTimeLimitMs: number;
  /** Imports waiting for an import thread at most (at least 1); the next is refused. */
  importsWaiting: number;
  /** Bytes of answers kept for the next caller. */
  cacheBytes: number;
  /** Larger answers are refused. */
  maxAnswerBytes: number;
}

/** Raised when an evaluation did not finish within the time limit; its work has been stopped. */
export class EvaluationTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`evaluation stopped after ${limitMs} ms`);
  }
}

/** Raised when an import's work was not done within the time limit; its work has been stopped. */
export class ImportTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`import stopped after ${limitMs} ms`);
  }
}

/** Raised when an import finds as many imports already waiting for an import thread as may wait. */
export class ImportsWaitingFull extends Error {
  constructor(
    readonly waiting: number,
    readonly threads: number,
  ) {
    super(`${waiting} imports already wait for the ${threads} import threads`);
  }
}

type Workers<T> = Piscina<T, unknown>;

/** A pool's threads, started at once. */
class Started<T extends { kind: string }> {
  /** Once the module's code is found (bundled, from the sources). */
  workers: Workers<T> | undefined;
  /** Once one thread has loaded its code, so that no time limit counts that. */
  readonly ready: Promise<Workers<T>>;

  constructor(module: WorkerModule, threads: number) {
    this.ready = workerModule(module).then(async (code) => {
      const workers: Workers<T> = new Piscina({ ...code, minThreads: threads, maxThreads: threads });
      this.workers = workers;
      await workers.run({ kind: 'ready' } as T);
      return workers;
    });
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.workers?.destroy();
  }
}

type Task = EvaluationTask extends infer T ? (T extends unknown ? Omit<T, 'network' | 'networkKey' | 'maxAnswerBytes'> : never) : never;
type Answer = Exclude<EvaluationOutcome, { status: 'needs-network' } | { status: 'ok' }> | { status: 'ok'; body: Buffer };

/**
 * Evaluations, comparisons and pages run in worker threads (src/evaluation-worker.ts), so that the event
 * loop stays free for every other request while a heavy one is worked out. Imports' work (parsing files,
 * building areas from the ONS files) runs in threads of its own (src/import-worker.ts), so that no
 * evaluation ever queues behind an import: the imports wait for one another, in piscina's queue, within
 * their time limit. A worker is sent a network once per
 * reading: each task names the reading, and only a worker that does not hold it asks for it. Answers are
 * kept, serialised, in a cache capped by bytes.
 */
export class EvaluationPool {
  private evaluating: Started<PoolTask> | undefined;
  private importing: Started<ImportTask> | undefined;
  private readonly answers: AnswerCache;
  private readonly evaluationThreads: number;
  /** Imports worked on at once at most. */
  readonly importThreads: number;

  constructor(private readonly options: EvaluationPoolOptions) {
    this.answers = new AnswerCache(options.cacheBytes);
    this.evaluationThreads = options.threads ?? Math.max(2, availableParallelism());
    this.importThreads = options.importThreads ?? Math.max(1, Math.floor(this.evaluationThreads / 2));
  }

  /** Started on the first evaluation: a service that evaluates nothing starts no thread. */
  private workers() {
    this.evaluating ??= new Started('evaluation-worker', this.evaluationThreads);
    return this.evaluating.ready;
  }

  /** Started on the first import. */
  private importWorkers() {
    this.importing ??= new Started('import-worker', this.importThreads);
    return this.importing.ready;
  }

  /**
   * The answer to `task` on a reading of a network (named by `networkKey`), from the cache under
   * `cacheKey` and the reading or worked out in a worker. Rejects with EvaluationTimeout when it takes
   * longer than the time limit (the worker is ended, its work with it).
   */
  async answer(cacheKey: string, task: Task, networkKey: string, network: Network): Promise<Answer> {
    cacheKey = `${cacheKey}:${networkKey}`;
    const kept = this.answers.get(cacheKey);
    if (kept) return { status: 'ok', body: kept };
    const workers = await this.workers();
    const signal = AbortSignal.timeout(this.options.timeLimitMs);
    const run = async (withNetwork: boolean) => {
      const full = { ...task, networkKey, maxAnswerBytes: this.options.maxAnswerBytes, ...(withNetwork ? { network } : {}) } as EvaluationTask;
      return (await runWithin(workers, full, signal, () => new EvaluationTimeout(this.options.timeLimitMs))) as EvaluationOutcome;
    };
    let outcome = await run(false);
    if (outcome.status === 'needs-network') outcome = await run(true);
    if (outcome.status === 'needs-network') throw new Error('the evaluation worker did not keep the network it was sent');
    if (outcome.status !== 'ok') return outcome;
    const body = Buffer.from(outcome.body.buffer, outcome.body.byteOffset, outcome.body.byteLength);
    this.answers.set(cacheKey, body);
    return { status: 'ok', body };
  }

  /**
   * An import's work in an import thread. Rejects with ImportsWaitingFull when too many imports wait
   * already, and with ImportTimeout when waiting and working take longer than the import time limit
   * (the wait is given up, or the worker ended).
   */
  private async runImport(task: Exclude<ImportTask, { kind: 'ready' }>): Promise<unknown> {
    const workers = await this.importWorkers();
    if (workers.queueSize >= this.options.importsWaiting) throw new ImportsWaitingFull(this.options.importsWaiting, this.importThreads);
    const signal = AbortSignal.timeout(this.options.importTimeLimitMs);
    return runWithin(workers, task, signal, () => new ImportTimeout(this.options.importTimeLimitMs));
  }

  /** Parses and checks an import's spooled file, writing its log (src/imports/row-log.ts); rejects as runImport. */
  async parseImport(task: Omit<ImportParseTask, 'kind'>): Promise<ParsedFileSummary> {
    return (await this.runImport({ kind: 'import', ...task })) as ParsedFileSummary;
  }

  /** A council's areas built from the ONS and MHCLG files (src/imports/ons-areas.ts); rejects as runImport. */
  async buildOnsAreas(task: Omit<OnsAreasTask, 'kind'>): Promise<OnsAreasOutcome> {
    return (await this.runImport({ kind: 'ons-areas', ...task })) as OnsAreasOutcome;
  }

  /**
   * Starts the workers ahead of the first evaluation, so that its caller does not wait for them: the
   * server does this once it listens.
   */
  async start(): Promise<void> {
    await this.workers();
  }

  /** Worker threads running now, for evaluations and for imports. */
  get threads(): number {
    return (this.evaluating?.workers?.threads.length ?? 0) + (this.importing?.workers?.threads.length ?? 0);
  }

  async close() {
    await Promise.all([this.evaluating?.close(), this.importing?.close()]);
  }
}

/** Runs a task in a worker, ended (the task with it) when `signal` times out; a task still waiting is dropped. */
async function runWithin<T>(workers: Workers<T>, task: T, signal: AbortSignal, timeout: () => Error): Promise<unknown> {
  try {
    return await workers.run(task, { signal });
  } catch (error) {
    if (signal.aborted) throw timeout();
    throw error;
  }
}
