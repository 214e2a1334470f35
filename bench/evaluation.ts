// Scenario evaluation time on synthetic England-sized networks: 300, 3,000 and 30,000 sites with ten
// times as many areas, a scenario closing about 10% of sites. Goals: 3,000 sites under 20 ms; 30,000
// sites under 15 times the time of 3,000.
import { performance } from 'node:perf_hooks';
import { evaluateScenario } from '../src/domain/evaluation.js';
import { resolveParameters } from '../src/domain/parameters.js';
import { syntheticNetwork, syntheticScenario } from './synthetic-network.js';

const sizes = [300, 3_000, 30_000];
const warmUpRuns = 3;
const timedRuns = 9;

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
console.log(`machine reference (10M additions): ${median([1, 2, 3].map(machineReferenceMs)).toFixed(1)} ms`);
// Wall time is what a caller waits; CPU time (of the whole process, so garbage collection included) is
// steadier on a shared machine.
console.log('sites   areas    actions  wall ms   cpu ms  wall ratio to previous');
let previous: number | undefined;
for (const siteCount of sizes) {
  const network = syntheticNetwork(siteCount);
  const actions = syntheticScenario(network);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let run = 0; run < warmUpRuns + timedRuns; run++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const result = evaluateScenario(network, actions, parameters);
    const cpu = process.cpuUsage(startCpu);
    const elapsed = performance.now() - start;
    if (!result.ok) throw new Error(`the synthetic scenario does not apply: ${JSON.stringify(result.errors.slice(0, 3))}`);
    if (run < warmUpRuns) continue;
    wallMs.push(elapsed);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const time = median(wallMs);
  const ratio = previous === undefined ? '' : `${(time / previous).toFixed(1)}×`;
  console.log(
    [
      String(siteCount).padEnd(8),
      String(network.areas.length).padEnd(9),
      String(actions.length).padEnd(9),
      time.toFixed(1).padStart(9),
      median(cpuMs).toFixed(1).padStart(8),
      `  ${ratio}`,
    ].join(''),
  );
  previous = time;
}
