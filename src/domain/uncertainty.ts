// Sensitivity and Monte Carlo over a linear model of an option's NPV (outcomes-model.md, section 2).
// Every uncertain input enters the NPV linearly (risk.ts, economic-case.ts), so the NPV at any values
// of the inputs is its central value plus Σ npvPencePerUnit × (value − central): exact, not an
// approximation, and a draw costs one multiply-add per input. Monte Carlo draws one uniform number per
// input key and draw, shared by every option of a comparison (common random numbers), so that options
// facing the same risk (the same contract, the same clawback) are compared under the same outcome.
import type { MonteCarlo, UncertainInput, Uncertainty } from '../schemas/economics.js';
import { roundHalfAwayFromZero } from './money.js';

/** An option's NPVs with every input central, before rounding, and its uncertain inputs. */
export interface LinearModel {
  financialNpv: number;
  economicNpv: number;
  inputs: readonly UncertainInput[];
}

const rounded = roundHalfAwayFromZero;
const shift = (input: UncertainInput, value: number) => input.npvPencePerUnit * (value - input.central);
const movesFinancial = (input: UncertainInput) => input.affects === 'financial';

/** The value of the input between low and high that makes `npv` (at the input's central value) zero; null when none. */
function switchingValue(input: UncertainInput, npv: number): number | null {
  if (input.npvPencePerUnit === 0) return null;
  const value = input.central - npv / input.npvPencePerUnit;
  const [min, max] = input.distribution === 'bernoulli' ? [0, 1] : [input.low, input.high];
  return value >= min && value <= max ? value : null;
}

/** Low / central / high NPVs, the tornado and the switching values. */
export function sensitivity(model: LinearModel): Omit<Uncertainty, 'monteCarlo'> {
  const range = (npv: number, inputs: readonly UncertainInput[]) => {
    let low = npv;
    let high = npv;
    for (const input of inputs) {
      const atLow = shift(input, input.low);
      const atHigh = shift(input, input.high);
      low += Math.min(atLow, atHigh);
      high += Math.max(atLow, atHigh);
    }
    return { lowPence: rounded(low), centralPence: rounded(npv), highPence: rounded(high) };
  };
  const tornado = model.inputs
    .map((input) => {
      const financial = (value: number) => rounded(model.financialNpv + (movesFinancial(input) ? shift(input, value) : 0));
      const economic = (value: number) => rounded(model.economicNpv + shift(input, value));
      return {
        key: input.key,
        label: input.label,
        financialNpvAtLowPence: financial(input.low),
        financialNpvAtHighPence: financial(input.high),
        economicNpvAtLowPence: economic(input.low),
        economicNpvAtHighPence: economic(input.high),
        swingPence: Math.abs(economic(input.high) - economic(input.low)),
      };
    })
    .sort((a, b) => b.swingPence - a.swingPence || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    inputs: [...model.inputs],
    financialNpv: range(model.financialNpv, model.inputs.filter(movesFinancial)),
    economicNpv: range(model.economicNpv, model.inputs),
    tornado,
    switchingValues: model.inputs.map((input) => ({
      key: input.key,
      label: input.label,
      central: input.central,
      financial: movesFinancial(input) ? switchingValue(input, model.financialNpv) : null,
      economic: switchingValue(input, model.economicNpv),
    })),
  };
}

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same numbers on every platform. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The input's value for a uniform draw u in [0, 1): Bernoulli(central), or the inverse of the triangular distribution. */
function drawValue(input: UncertainInput, u: number): number {
  if (input.distribution === 'bernoulli') return u < input.central ? 1 : 0;
  const { low, central: mode, high } = input;
  if (high <= low) return mode;
  const split = (mode - low) / (high - low);
  return u < split ? low + Math.sqrt(u * (high - low) * (mode - low)) : high - Math.sqrt((1 - u) * (high - low) * (high - mode));
}

/** The NPVs of each option in each draw: [option][draw], financial and economic. */
export interface Draws {
  financial: Float64Array[];
  economic: Float64Array[];
}

/** `draws` joint draws of every input of every option; inputs with the same key share their uniform numbers. */
export function drawNpvs(models: readonly LinearModel[], draws: number, seed: number): Draws {
  const keys = [...new Set(models.flatMap((model) => model.inputs.map((input) => input.key)))].sort();
  const keyIndex = new Map(keys.map((key, index) => [key, index]));
  const random = generator(seed);
  const uniforms = new Float64Array(draws * keys.length);
  for (let index = 0; index < uniforms.length; index++) uniforms[index] = random();
  const financial = models.map(() => new Float64Array(draws));
  const economic = models.map(() => new Float64Array(draws));
  models.forEach((model, option) => {
    const columns = model.inputs.map((input) => keyIndex.get(input.key)!);
    for (let draw = 0; draw < draws; draw++) {
      let financialShift = 0;
      let economicShift = 0;
      const row = draw * keys.length;
      for (let k = 0; k < model.inputs.length; k++) {
        const input = model.inputs[k]!;
        const change = shift(input, drawValue(input, uniforms[row + columns[k]!]!));
        economicShift += change;
        if (movesFinancial(input)) financialShift += change;
      }
      financial[option]![draw] = model.financialNpv + financialShift;
      economic[option]![draw] = model.economicNpv + economicShift;
    }
  });
  return { financial, economic };
}

/** P10, P50, P90 (nearest rank), mean and the share of draws below zero. */
function statistics(values: Float64Array): MonteCarlo['financial'] {
  const sorted = Float64Array.from(values).sort();
  const percentile = (share: number) => rounded(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!);
  let sum = 0;
  let below = 0;
  for (const value of sorted) {
    sum += value;
    if (value < 0) below++;
  }
  return {
    p10Pence: percentile(0.1),
    p50Pence: percentile(0.5),
    p90Pence: percentile(0.9),
    meanPence: rounded(sum / sorted.length),
    probabilityBelowZero: below / sorted.length,
  };
}

export const monteCarloOf = (draws: Draws, option: number, seed: number): MonteCarlo => ({
  draws: draws.financial[option]!.length,
  seed,
  financial: statistics(draws.financial[option]!),
  economic: statistics(draws.economic[option]!),
});

/** The share of draws in which each option has the highest NPV (ties go to the first listed). */
export function probabilityBest(npvs: readonly Float64Array[]): number[] {
  const wins = npvs.map(() => 0);
  const count = npvs[0]?.length ?? 0;
  for (let draw = 0; draw < count; draw++) {
    let best = 0;
    for (let option = 1; option < npvs.length; option++) if (npvs[option]![draw]! > npvs[best]![draw]!) best = option;
    wins[best]!++;
  }
  return wins.map((won) => (count === 0 ? 0 : won / count));
}
