// Scenario evaluation time on synthetic England-sized networks: 300, 3,000 and 30,000 sites with ten
// times as many areas, each scenario closing about 10% of sites, making some spokes and cutting some
// hours. Goals: 3,000 sites under 20 ms; 30,000 sites under 15 times the time of 3,000.
//
// Two figures a size, because the service works in two steps: the first evaluation on a reading of a network
// also prepares the network (site index, every area's nearest open site, the baseline's figures: see
// src/domain/prepared.ts), and every later scenario or comparison on that reading starts from it.
// - "first": a fresh network object each run (nothing prepared), one scenario: what the first caller
//   after a change to the network waits for.
// - "next": another scenario each run (a different seed) on the prepared network: what every other
//   caller waits for. Scenario results are never reused: each run evaluates a scenario not seen before.
import { performance } from 'node:perf_hooks';
import { evaluateScenario } from '../src/domain/evaluation.js';
import { resolveParameters } from '../src/domain/parameters.js';
import type { ScenarioAction } from '../src/schemas/scenario.js';
import type { Network } from '../src/domain/types.js';
import { syntheticNetwork, syntheticScenario } from './synthetic-network.js';

const sizes = [300, 3_000, 30_000];
const warmUpRuns = 3;
const firstRuns = 5;
// Enough "next" runs that a moment of load from elsewhere on a shared machine moves the median little.
const nextRuns = 25;
const goals = { englandMs: 20, growth: 15 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A fixed amount of plain arithmetic, so that figures from different machines can be compared. */
function machineReferenceMs(): number {
  const start = performance.now();
  let sum = 0;
  for (let index = 0; index < 10_000_000; index++) sum += index * 0.5;
  const elapsed = performance.now() - start;
  return sum > 0 ? elapsed : elapsed;
}

const parameters = resolveParameters({}, '2025-11-01');

// Garbage left by making the networks (and by the sizes before) is collected before timing starts, not
// billed to the evaluations timed after it (npm run bench runs node with --expose-gc).
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Wall and CPU milliseconds of one evaluation (CPU of the whole process, garbage collection included: steadier on a shared machine). */
function timeEvaluation(network: Network, actions: ScenarioAction[]): { wallMs: number; cpuMs: number } {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const result = evaluateScenario(network, actions, parameters);
  const cpu = process.cpuUsage(startCpu);
  const wallMs = performance.now() - start;
  if (!result.ok) throw new Error(`the synthetic scenario does not apply: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Times `count` evaluations; `input` makes each one's network and actions, untimed. */
function timeRuns(count: number, input: (run: number) => { network: Network; actions: ScenarioAction[] }) {
  const times = Array.from({ length: count }, (_, run) => {
    const { network, actions } = input(run);
    return timeEvaluation(network, actions);
  });
  return { wallMs: median(times.map((time) => time.wallMs)), cpuMs: median(times.map((time) => time.cpuMs)) };
}

console.log(`machine reference (10M additions): ${median([1, 2, 3].map(machineReferenceMs)).toFixed(1)} ms`);
console.log('median milliseconds; "first" prepares the network too, "next" starts from the prepared network');
console.log('sites   areas    actions  first wall  first cpu  next wall  next cpu  next × previous size');
const results: { siteCount: number; firstMs: number; nextMs: number }[] = [];
for (const siteCount of sizes) {
  const network = syntheticNetwork(siteCount);
  const scenario = (seed: number) => syntheticScenario(network, seed);
  // Warm-up (the JIT), on a network object of its own.
  const warmUpNetwork = syntheticNetwork(siteCount);
  for (let run = 0; run < warmUpRuns; run++) timeEvaluation(warmUpNetwork, syntheticScenario(warmUpNetwork, 1_000 + run));
  // Each "first" network is made just before its run, so that the others are not in memory meanwhile.
  const first = timeRuns(firstRuns, (run) => {
    collectGarbage();
    return { network: syntheticNetwork(siteCount), actions: scenario(2 + run) };
  });
  timeEvaluation(network, scenario(1)); // prepares `network`
  const nextScenarios = Array.from({ length: nextRuns }, (_, run) => scenario(100 + run));
  collectGarbage();
  const next = timeRuns(nextRuns, (run) => ({ network, actions: nextScenarios[run]! }));
  const previous = results.at(-1);
  console.log(
    [
      String(siteCount).padEnd(8),
      String(network.areas.length).padEnd(9),
      String(median(nextScenarios.map((actions) => actions.length))).padEnd(9),
      first.wallMs.toFixed(1).padStart(10),
      first.cpuMs.toFixed(1).padStart(11),
      next.wallMs.toFixed(1).padStart(11),
      next.cpuMs.toFixed(1).padStart(10),
      previous ? `  ${(next.wallMs / previous.nextMs).toFixed(1)}×` : '',
    ].join(''),
  );
  results.push({ siteCount, firstMs: first.wallMs, nextMs: next.wallMs });
}

const england = results.find((result) => result.siteCount === 3_000)!;
const largest = results.find((result) => result.siteCount === 30_000)!;
const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
console.log('');
console.log(
  `Goal: 3,000 sites evaluated in under ${goals.englandMs} ms: next scenario ${verdict(england.nextMs < goals.englandMs)} (${england.nextMs.toFixed(1)} ms); ` +
    `first after a change ${verdict(england.firstMs < goals.englandMs)} (${england.firstMs.toFixed(1)} ms).`,
);
console.log(
  `Goal: 30,000 sites under ${goals.growth}× the time of 3,000: next scenario ${verdict(largest.nextMs / england.nextMs < goals.growth)} ` +
    `(${(largest.nextMs / england.nextMs).toFixed(1)}×); first after a change ${verdict(largest.firstMs / england.firstMs < goals.growth)} ` +
    `(${(largest.firstMs / england.firstMs).toFixed(1)}×).`,
);
