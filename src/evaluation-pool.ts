import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { projectPath } from './paths.js';
import { AnswerCache } from './evaluation-cache.js';
import type { EvaluationOutcome, EvaluationTask, PoolTask } from './evaluation-worker.js';
import type { Network } from './domain/types.js';
import type { ImportParseTask, ParsedFileSummary } from './imports/row-log.js';

// From the sources (tests, development) the workers run TypeScript through tsx as the process does, and
// nothing else the process was started with (a test runner's instrumentation) slows them; `npm start`
// runs the bundle, whose worker is dist/evaluation-worker.js (scripts/build.mjs).
// The path, not the URL: a module imported through a test's mock carries a query after its name.
const fromSources = new URL(import.meta.url).pathname.endsWith('.ts');
const worker = fromSources
  ? { filename: pathToFileURL(projectPath('src', 'evaluation-worker.ts')).href, execArgv: ['--import', 'tsx'] }
  : { filename: pathToFileURL(projectPath('dist', 'evaluation-worker.js')).href, execArgv: [] };

/**
 * Defaults of the limits on the pool's work (README "Limits"). An import's file gets longer than an
 * evaluation: the largest allowed one takes about 20 s to parse and check on a busy two-core machine.
 */
export const evaluationDefaults = { timeLimitMs: 10_000, importTimeLimitMs: 60_000, cacheBytes: 256 * 1_048_576 };

export interface EvaluationPoolOptions {
  /** Worker threads at most; default the machine's cores. */
  threads?: number;
  /** A request's evaluation is stopped (its worker ended) past this. */
  timeLimitMs: number;
  /** An import's parsing is stopped past this. */
  importTimeLimitMs: number;
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

/** Raised when an import's file was not parsed within the time limit; its work has been stopped. */
export class ImportParseTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`parsing stopped after ${limitMs} ms`);
  }
}

type Workers = Piscina<PoolTask, unknown>;
type Task = EvaluationTask extends infer T ? (T extends unknown ? Omit<T, 'network' | 'networkKey' | 'maxAnswerBytes'> : never) : never;
type Answer = Exclude<EvaluationOutcome, { status: 'needs-network' } | { status: 'ok' }> | { status: 'ok'; body: Buffer };

/**
 * Evaluations, comparisons, pages and imports' parsing run in worker threads (src/evaluation-worker.ts),
 * so that the event loop stays free for every other request while a heavy one is worked out. A worker is sent a network once per
 * reading: each task names the reading, and only a worker that does not hold it asks for it. Answers are
 * kept, serialised, in a cache capped by bytes.
 */
export class EvaluationPool {
  private pool: { pool: Workers; ready: Promise<Workers> } | undefined;
  private readonly answers: AnswerCache;

  constructor(private readonly options: EvaluationPoolOptions) {
    this.answers = new AnswerCache(options.cacheBytes);
  }

  /**
   * Started on the first evaluation (a service that evaluates nothing starts no thread), every thread at
   * once; resolves once one has loaded the planning code, so that no request's time limit counts that.
   */
  private workers() {
    if (!this.pool) {
      const threads = this.options.threads ?? Math.max(2, availableParallelism());
      const pool: Workers = new Piscina({
        ...worker,
        minThreads: threads,
        maxThreads: threads,
      });
      this.pool = { pool, ready: pool.run({ kind: 'ready' }).then(() => pool) };
    }
    return this.pool.ready;
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
   * Parses and checks an import's spooled file in a worker, writing its log (src/imports/row-log.ts).
   * Rejects with ImportParseTimeout when it takes longer than the import time limit (the worker is ended).
   */
  async parseImport(task: Omit<ImportParseTask, 'kind'>): Promise<ParsedFileSummary> {
    const workers = await this.workers();
    const signal = AbortSignal.timeout(this.options.importTimeLimitMs);
    const timeout = () => new ImportParseTimeout(this.options.importTimeLimitMs);
    return (await runWithin(workers, { kind: 'import', ...task }, signal, timeout)) as ParsedFileSummary;
  }

  /**
   * Starts the workers ahead of the first evaluation, so that its caller does not wait for them: the
   * server does this once it listens.
   */
  async start(): Promise<void> {
    await this.workers();
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.pool?.pool.threads.length ?? 0;
  }

  async close() {
    await this.pool?.pool.destroy();
  }
}

/** Runs a task in a worker, ended (the task with it) when `signal` times out. */
async function runWithin(workers: Workers, task: PoolTask, signal: AbortSignal, timeout: () => Error): Promise<unknown> {
  try {
    return await workers.run(task, { signal });
  } catch (error) {
    if (signal.aborted) throw timeout();
    throw error;
  }
}
