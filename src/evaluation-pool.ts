import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { projectPath } from './paths.js';
import { AnswerCache } from './evaluation-cache.js';
import type { EvaluationOutcome, EvaluationTask } from './evaluation-worker.js';
import type { Network } from './domain/types.js';

// From the sources (tests, development) the workers run TypeScript through tsx as the process does, and
// nothing else the process was started with (a test runner's instrumentation) slows them; `npm start`
// runs the bundle, whose worker is dist/evaluation-worker.js (scripts/build.mjs).
const fromSources = import.meta.url.endsWith('.ts');
const worker = fromSources
  ? { filename: pathToFileURL(projectPath('src', 'evaluation-worker.ts')).href, execArgv: ['--import', 'tsx'] }
  : { filename: pathToFileURL(projectPath('dist', 'evaluation-worker.js')).href, execArgv: [] };

/** Defaults of the limits on evaluations (README "Limits"). */
export const evaluationDefaults = { timeLimitMs: 10_000, cacheBytes: 256 * 1_048_576 };

export interface EvaluationPoolOptions {
  /** Worker threads at most; default the machine's cores. */
  threads?: number;
  /** A request's evaluation is stopped (its worker ended) past this. */
  timeLimitMs: number;
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

type Task = EvaluationTask extends infer T ? (T extends unknown ? Omit<T, 'network' | 'networkKey' | 'maxAnswerBytes'> : never) : never;
type Answer = Exclude<EvaluationOutcome, { status: 'needs-network' } | { status: 'ok' }> | { status: 'ok'; body: Buffer };

/**
 * Evaluations and comparisons run in worker threads (src/evaluation-worker.ts), so that the event loop
 * stays free for every other request while a heavy one is worked out. A worker is sent a network once per
 * reading: each task names the reading, and only a worker that does not hold it asks for it. Answers are
 * kept, serialised, in a cache capped by bytes.
 */
export class EvaluationPool {
  private pool: { pool: Piscina<EvaluationTask, EvaluationOutcome>; ready: Promise<Piscina<EvaluationTask, EvaluationOutcome>> } | undefined;
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
      const pool = new Piscina<EvaluationTask, EvaluationOutcome>({
        ...worker,
        minThreads: threads,
        maxThreads: threads,
      });
      this.pool = { pool, ready: pool.run({ kind: 'ready' } as never).then(() => pool) };
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
      try {
        const full = { ...task, networkKey, maxAnswerBytes: this.options.maxAnswerBytes, ...(withNetwork ? { network } : {}) } as EvaluationTask;
        return await workers.run(full, { signal });
      } catch (error) {
        if (signal.aborted) throw new EvaluationTimeout(this.options.timeLimitMs);
        throw error;
      }
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
