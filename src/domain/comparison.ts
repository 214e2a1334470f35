// Options side by side (planning-model.md, "Comparison"): headline figures, deltas against the
// baseline, dominance and a ranking by saving per under-5 no longer reached.
import {
  comparisonRowSchema,
  scenarioParametersSchema,
  type Comparison,
  type ComparisonRow,
  type NetworkFigures,
  type ScenarioEvaluation,
} from '../schemas/scenario.js';
import type { MonteCarloRequest, RankMeasure } from '../schemas/economics.js';
import { toCsv } from './csv.js';
import { linearModelOf } from './economics.js';
import { drawNpvs, monteCarloOf, probabilityBest } from './uncertainty.js';
import { divideRounded } from './money.js';

export type { Comparison, ComparisonRow };

export interface ComparedOption {
  id: string;
  name: string;
  evaluation: ScenarioEvaluation;
}

export const baselineRowId = 'baseline';

type Figures = Omit<ComparisonRow, 'optionId' | 'name' | 'isBaseline' | 'dominatedBy' | 'rank' | 'monteCarlo'>;
type MoneyFigures = Pick<
  Figures,
  'annualSavingPence' | 'oneOffCostPence' | 'npvPence' | 'paybackYears' | 'incomeLostPence' | 'expectedNpvPence' | 'outcomeValueLostPence' | 'economicNpvPence'
>;

function delta(scenario: number | null, baseline: number | null): number | null {
  return scenario === null || baseline === null ? null : scenario - baseline;
}

function rowFigures(baseline: NetworkFigures, scenario: NetworkFigures, money: MoneyFigures): Figures {
  const under5sNoLongerReached = baseline.reach.reachedUnder5s - scenario.reach.reachedUnder5s;
  return {
    ...money,
    netCostPence: scenario.money.netCostPence,
    reachedUnder5s: scenario.reach.reachedUnder5s,
    reachShare: scenario.reach.reachShare,
    deprivedReachedUnder5s: scenario.reach.deprivedReachedUnder5s,
    deprivedReachShare: scenario.reach.deprivedReachShare,
    meanDistanceM: scenario.reach.meanDistanceM,
    fte: scenario.staff.totalFte,
    openSites: scenario.sites.byStatus.open,
    coreOfferReachedUnder5s: scenario.reach.coreOffer?.reachedUnder5s ?? null,
    coreOfferReachShare: scenario.reach.coreOffer?.reachShare ?? null,
    under5sNoLongerReached,
    savingPerUnder5NoLongerReachedPence: under5sNoLongerReached > 0 ? divideRounded(BigInt(money.annualSavingPence), BigInt(under5sNoLongerReached)) : null,
    deltas: {
      netCostPence: scenario.money.netCostPence - baseline.money.netCostPence,
      reachedUnder5s: -under5sNoLongerReached,
      deprivedReachedUnder5s: scenario.reach.deprivedReachedUnder5s - baseline.reach.deprivedReachedUnder5s,
      reachShare: delta(scenario.reach.reachShare, baseline.reach.reachShare),
      deprivedReachShare: delta(scenario.reach.deprivedReachShare, baseline.reach.deprivedReachShare),
      meanDistanceM: delta(scenario.reach.meanDistanceM, baseline.reach.meanDistanceM),
      // FTE to 4 decimals: the difference of two such numbers, rounded back to 4 decimals.
      fte: Math.round((scenario.staff.totalFte - baseline.staff.totalFte) * 10_000) / 10_000,
      openSites: scenario.sites.byStatus.open - baseline.sites.byStatus.open,
      coreOfferReachedUnder5s: delta(scenario.reach.coreOffer?.reachedUnder5s ?? null, baseline.reach.coreOffer?.reachedUnder5s ?? null),
    },
  };
}

/** A dominates B: saving, reach and deprived reach all at least B's, one of them strictly more. */
export function dominates(a: Figures, b: Figures): boolean {
  const atLeast = a.annualSavingPence >= b.annualSavingPence && a.reachedUnder5s >= b.reachedUnder5s && a.deprivedReachedUnder5s >= b.deprivedReachedUnder5s;
  const strictly = a.annualSavingPence > b.annualSavingPence || a.reachedUnder5s > b.reachedUnder5s || a.deprivedReachedUnder5s > b.deprivedReachedUnder5s;
  return atLeast && strictly;
}

/**
 * Ranking: options that lose nobody (under-5s no longer reached ≤ 0) first, by annual saving; then the
 * rest by saving per under-5 no longer reached, highest first, so that options that cost more (a
 * negative saving) come last. Ties: higher saving, then higher deprived reach, then option id.
 */
function savingPerUnder5Order(a: ComparisonRow, b: ComparisonRow): number {
  const losesNobody = (row: ComparisonRow) => row.under5sNoLongerReached <= 0;
  if (losesNobody(a) !== losesNobody(b)) return losesNobody(a) ? -1 : 1;
  const ratio = (row: ComparisonRow) => (losesNobody(row) ? 0 : row.annualSavingPence / row.under5sNoLongerReached);
  return (
    ratio(b) - ratio(a) ||
    b.annualSavingPence - a.annualSavingPence ||
    b.deprivedReachedUnder5s - a.deprivedReachedUnder5s ||
    (a.optionId < b.optionId ? -1 : a.optionId > b.optionId ? 1 : 0)
  );
}

const byId = (a: ComparisonRow, b: ComparisonRow) => (a.optionId < b.optionId ? -1 : a.optionId > b.optionId ? 1 : 0);

/** The orders a comparison can rank by: an NPV ranks highest first, ties by saving, then option id. */
const rankOrders: Record<RankMeasure, (a: ComparisonRow, b: ComparisonRow) => number> = {
  saving_per_under5_lost: savingPerUnder5Order,
  npv: (a, b) => b.expectedNpvPence - a.expectedNpvPence || b.annualSavingPence - a.annualSavingPence || byId(a, b),
  economic_npv: (a, b) => b.economicNpvPence - a.economicNpvPence || b.annualSavingPence - a.annualSavingPence || byId(a, b),
};

export interface CompareOptions {
  includeBaseline?: boolean;
  rankBy?: RankMeasure | undefined;
  /** Monte Carlo draws of every option's uncertain inputs at once, with the seed. */
  monteCarlo?: MonteCarloRequest | undefined;
}

function sameParameters(options: readonly ComparedOption[]): boolean {
  const first = options[0]?.evaluation.parameters;
  return options.every(({ evaluation: { parameters } }) =>
    Object.keys(scenarioParametersSchema.shape).every(
      (key) => JSON.stringify(parameters[key as keyof typeof parameters]) === JSON.stringify(first?.[key as keyof typeof parameters]),
    ),
  );
}

/**
 * One row per option, in the order given, after a baseline row (the first option's baseline) unless
 * `includeBaseline` is false. Each option's figures and deltas are against its own baseline.
 */
export function compareOptions(
  options: readonly ComparedOption[],
  { includeBaseline = true, rankBy = 'saving_per_under5_lost', monteCarlo }: CompareOptions = {},
): Comparison {
  const drawn =
    monteCarlo &&
    drawNpvs(
      options.map((option) => linearModelOf(option.evaluation)),
      monteCarlo.draws,
      monteCarlo.seed,
    );
  const best = drawn && { financial: probabilityBest(drawn.financial), economic: probabilityBest(drawn.economic) };
  const optionRows = options.map(
    ({ id, name, evaluation }, index): ComparisonRow => ({
      optionId: id,
      name,
      isBaseline: false,
      ...rowFigures(evaluation.baseline, evaluation.scenario, {
        annualSavingPence: evaluation.savings.annualSavingPence,
        oneOffCostPence: evaluation.savings.oneOff.totalPence,
        npvPence: evaluation.savings.npvPence,
        paybackYears: evaluation.savings.paybackYears,
        incomeLostPence: evaluation.incomeLost.year1Pence,
        expectedNpvPence: evaluation.expected.npvPence,
        outcomeValueLostPence: evaluation.economicCase.valueLost.totalPence,
        economicNpvPence: evaluation.economicCase.economicNpvPence,
      }),
      dominatedBy: [],
      rank: null,
      ...(drawn && best
        ? {
            monteCarlo: {
              ...monteCarloOf(drawn, index, monteCarlo!.seed),
              probabilityBestFinancial: best.financial[index]!,
              probabilityBestEconomic: best.economic[index]!,
            },
          }
        : {}),
    }),
  );
  const baseline = options[0]?.evaluation.baseline;
  const baselineRows: ComparisonRow[] =
    includeBaseline && baseline
      ? [
          {
            optionId: baselineRowId,
            name: 'Baseline',
            isBaseline: true,
            ...rowFigures(baseline, baseline, {
              annualSavingPence: 0,
              oneOffCostPence: 0,
              npvPence: 0,
              paybackYears: null,
              incomeLostPence: 0,
              expectedNpvPence: 0,
              outcomeValueLostPence: 0,
              economicNpvPence: 0,
            }),
            dominatedBy: [],
            rank: null,
          },
        ]
      : [];
  const rows = [...baselineRows, ...optionRows].map((row, _, all) => ({
    ...row,
    dominatedBy: all.filter((other) => other !== row && dominates(other, row)).map((other) => other.optionId),
  }));
  const ranked = rows.filter((row) => !row.isBaseline).sort(rankOrders[rankBy]);
  return {
    rows: rows.map((row) => (row.isBaseline ? row : { ...row, rank: ranked.indexOf(row) + 1 })),
    sameParameters: sameParameters(options),
    rankBy,
  };
}

const csvColumns = [
  'optionId',
  'name',
  'isBaseline',
  'rank',
  'annualSavingPence',
  'oneOffCostPence',
  'npvPence',
  'paybackYears',
  'netCostPence',
  'reachedUnder5s',
  'reachShare',
  'deprivedReachedUnder5s',
  'deprivedReachShare',
  'meanDistanceM',
  'fte',
  'openSites',
  'coreOfferReachedUnder5s',
  'coreOfferReachShare',
  'incomeLostPence',
  'expectedNpvPence',
  'outcomeValueLostPence',
  'economicNpvPence',
  'under5sNoLongerReached',
  'savingPerUnder5NoLongerReachedPence',
] as const satisfies readonly (keyof ComparisonRow)[];
const deltaColumns = Object.keys(comparisonRowSchema.shape.deltas.shape) as (keyof ComparisonRow['deltas'])[];

const monteCarloColumns = ['economicNpvP10Pence', 'economicNpvP50Pence', 'economicNpvP90Pence', 'probabilityEconomicNpvBelowZero', 'probabilityBestEconomic'];
/** A row's Monte Carlo figures, empty when none were asked for (and for the baseline). */
const monteCarloCells = ({ monteCarlo }: ComparisonRow) =>
  monteCarlo
    ? [
        monteCarlo.economic.p10Pence,
        monteCarlo.economic.p50Pence,
        monteCarlo.economic.p90Pence,
        monteCarlo.economic.probabilityBelowZero,
        monteCarlo.probabilityBestEconomic,
      ]
    : monteCarloColumns.map(() => null);

/** The comparison as CSV: one line per row, deltas as `delta…` columns, dominatedBy as ids separated by spaces. */
export function comparisonToCsv(rows: readonly ComparisonRow[]): string {
  const header = [...csvColumns, ...deltaColumns.map((column) => `delta${column[0]!.toUpperCase()}${column.slice(1)}`), 'dominatedBy', ...monteCarloColumns];
  return toCsv(
    header,
    rows.map((row) => [
      ...csvColumns.map((column) => row[column]),
      ...deltaColumns.map((column) => row.deltas[column]),
      row.dominatedBy.join(' '),
      ...monteCarloCells(row),
    ]),
    { poundsBesidePence: true },
  );
}
