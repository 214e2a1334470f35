// The work of evaluations, comparisons and pages, run in a worker thread of the evaluation pool
// (src/evaluation-pool.ts) so that a heavy scenario never holds up the requests of the event loop. Each
// worker keeps the networks it was sent, by their reading's key, and with them what the planning domain
// prepares once per network (src/domain/prepared.ts); the answer comes back serialised, as bytes.
import { Buffer } from 'node:buffer';
import { compareOptions, comparisonToCsv, type ComparedOption } from './domain/comparison.js';
import { evaluationToCsv } from './domain/evaluation-csv.js';
import { provenanceOf, withMonteCarlo } from './domain/economics.js';
import { evaluateNetwork, evaluateScenario, type EvaluationResult } from './domain/evaluation.js';
import { resolveParameters } from './domain/parameters.js';
import type { Network } from './domain/types.js';
import { compileSerializer } from './http/serializer.js';
import { type PageRequest, renderPage } from './pages/render.js';
import type { MonteCarloRequest, RankMeasure } from './schemas/economics.js';
import {
  comparisonSchema,
  networkEvaluationSchema,
  scenarioEvaluationSchema,
  type ActionError,
  type ParameterOverrides,
  type ScenarioAction,
} from './schemas/scenario.js';

export interface ScenarioToEvaluate {
  id: string;
  name: string;
  version: number;
  parameters: ParameterOverrides;
  actions: ScenarioAction[];
}

export type EvaluationTask = {
  /** Names the reading of the network (src/db/network.ts: networkKey). */
  networkKey: string;
  /** Sent only when the worker asked for it (`needs-network`). */
  network?: Network;
  asOf: string;
  /** Answers past this many bytes are refused rather than made. */
  maxAnswerBytes: number;
} & (
  | { kind: 'scenario'; scenario: ScenarioToEvaluate; format: 'json' | 'csv'; monteCarlo?: MonteCarloRequest | undefined }
  | { kind: 'network' }
  | {
      kind: 'comparison';
      scenarios: ScenarioToEvaluate[];
      includeBaseline: boolean;
      rankBy?: RankMeasure;
      monteCarlo?: MonteCarloRequest | undefined;
      format: 'json' | 'csv';
    }
  | { kind: 'page'; page: PageRequest }
);

export type EvaluationOutcome =
  | { status: 'ok'; body: Uint8Array }
  | { status: 'needs-network' }
  | { status: 'action-errors'; errors: ActionError[]; scenario: { id: string; name: string } }
  | { status: 'too-large'; bytes: number | null };

const serializeScenarioEvaluation = compileSerializer(scenarioEvaluationSchema);
const serializeNetworkEvaluation = compileSerializer(networkEvaluationSchema);
const serializeComparison = compileSerializer(comparisonSchema);

// Networks are sent once per worker and reading; the most recently used stay.
const keptNetworks = 8;
const networks = new Map<string, Network>();

function networkFor(task: EvaluationTask): Network | undefined {
  if (task.network) {
    networks.delete(task.networkKey);
    networks.set(task.networkKey, task.network);
    if (networks.size > keptNetworks) networks.delete(networks.keys().next().value!);
    return task.network;
  }
  const network = networks.get(task.networkKey);
  if (network) {
    networks.delete(task.networkKey);
    networks.set(task.networkKey, network);
  }
  return network;
}

/** Serialises the answer, unless it would pass the size limit (or the longest string V8 makes). */
function answer(make: () => string, maxAnswerBytes: number): EvaluationOutcome {
  let text: string;
  try {
    text = make();
  } catch (error) {
    if (error instanceof RangeError) return { status: 'too-large', bytes: null };
    throw error;
  }
  const body = Buffer.from(text);
  if (body.byteLength > maxAnswerBytes) return { status: 'too-large', bytes: body.byteLength };
  return { status: 'ok', body };
}

/** The scenario's evaluation, saying which of its figures rest on defaults and which the council entered. */
function evaluateStored(network: Network, scenario: ScenarioToEvaluate, asOf: string): EvaluationResult {
  const result = evaluateScenario(network, scenario.actions, resolveParameters(scenario.parameters, asOf));
  return result.ok ? { ok: true, evaluation: { ...result.evaluation, provenance: provenanceOf(scenario.parameters, network.outcomes ?? []) } } : result;
}

export type PoolTask = EvaluationTask | { kind: 'ready' };

export default function work(task: PoolTask): EvaluationOutcome | null {
  // Sent once when the pool starts: the modules above are loaded by now.
  if (task.kind === 'ready') return null;
  const network = networkFor(task);
  if (!network) return { status: 'needs-network' };
  switch (task.kind) {
    case 'network': {
      const evaluation = evaluateNetwork(network, resolveParameters({}, task.asOf));
      return answer(() => serializeNetworkEvaluation(evaluation), task.maxAnswerBytes);
    }
    case 'scenario': {
      const { scenario } = task;
      const result = evaluateStored(network, scenario, task.asOf);
      if (!result.ok) return { status: 'action-errors', errors: result.errors, scenario: { id: scenario.id, name: scenario.name } };
      const evaluation = task.monteCarlo ? withMonteCarlo(result.evaluation, task.monteCarlo) : result.evaluation;
      return answer(() => (task.format === 'csv' ? evaluationToCsv(evaluation) : serializeScenarioEvaluation(evaluation)), task.maxAnswerBytes);
    }
    case 'comparison': {
      const options: ComparedOption[] = [];
      for (const scenario of task.scenarios) {
        const result = evaluateStored(network, scenario, task.asOf);
        if (!result.ok) return { status: 'action-errors', errors: result.errors, scenario: { id: scenario.id, name: scenario.name } };
        options.push({ id: scenario.id, name: scenario.name, evaluation: result.evaluation });
      }
      const comparison = compareOptions(options, { includeBaseline: task.includeBaseline, rankBy: task.rankBy, monteCarlo: task.monteCarlo });
      return answer(() => (task.format === 'csv' ? comparisonToCsv(comparison.rows) : serializeComparison(comparison)), task.maxAnswerBytes);
    }
    case 'page': {
      const page = renderPage(network, task.page, task.asOf);
      if (!page.ok) return { status: 'action-errors', errors: page.errors, scenario: page.scenario };
      return answer(() => page.html, task.maxAnswerBytes);
    }
  }
}
