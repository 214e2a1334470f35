// A scenario evaluation as one spreadsheet table: the headline money first, then cash flow, reach,
// warnings and every line item, so a finance officer can check each total against the rows it comes
// from. Money is in pence with pounds beside it; dates are ISO (YYYY-MM-DD).
import type { PlanningWarning, ScenarioEvaluation } from '../schemas/scenario.js';
import { type CsvValue, toCsv } from './csv.js';

const header = [
  'section',
  'item',
  'description',
  'sourceType',
  'sourceId',
  'actionIndex',
  'startDate',
  'endDate',
  'baseline',
  'scenario',
  'difference',
  'baselinePence',
  'scenarioPence',
  'differencePence',
];

interface Row {
  section: string;
  item: string;
  description?: string | undefined;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
  actionIndex?: number | null | undefined;
  startDate?: string;
  endDate?: string;
  /** A figure that is not money (under-5s, shares, metres, minutes), before and after. */
  values?: [number | null, number | null];
  /** Money before and after, pence; either may be absent (a one-off has no baseline). */
  pence?: [number | null, number | null];
}

const difference = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

function record(row: Row): CsvValue[] {
  const [before = null, after = null] = row.values ?? [];
  const [beforePence = null, afterPence = null] = row.pence ?? [];
  return [
    row.section,
    row.item,
    row.description,
    row.sourceType,
    row.sourceId,
    row.actionIndex,
    row.startDate,
    row.endDate,
    before,
    after,
    row.values ? difference(before, after) : null,
    beforePence,
    afterPence,
    row.pence ? difference(beforePence, afterPence) : null,
  ];
}

/** The site or income stream a warning is about, as far as its evidence names one. */
function warningSource(warning: PlanningWarning): Pick<Row, 'sourceType' | 'sourceId' | 'actionIndex'> {
  const evidence = warning.evidence as { siteId?: string; spokeId?: string; hubId?: string; incomeStreamId?: string; actionIndex?: number };
  if (evidence.incomeStreamId) return { sourceType: 'income_stream', sourceId: evidence.incomeStreamId };
  const siteId = evidence.siteId ?? evidence.spokeId ?? evidence.hubId;
  return { sourceType: siteId ? 'site' : undefined, sourceId: siteId, actionIndex: evidence.actionIndex };
}

/**
 * The expected values, the economic case and the NPV range: each figure in the scenario column, each
 * outcome named with its id and whether it is an illustrative default.
 */
function economicRows({ expected, economicCase, uncertainty }: ScenarioEvaluation): Row[] {
  const figure = (section: string, item: string, pence: number, source: Pick<Row, 'sourceType' | 'sourceId' | 'description'> = {}): Row => ({
    section,
    item,
    ...source,
    pence: [null, pence],
  });
  const monteCarlo = uncertainty.monteCarlo;
  return [
    figure('expected', 'optimism_bias', expected.oneOff.optimismBiasPence),
    ...expected.clawbacks.map((clawback) =>
      figure('expected', 'clawback', clawback.expectedPence, {
        sourceType: 'site',
        sourceId: clawback.sourceId,
        description: `${clawback.description} (probability ${clawback.probability})`,
      }),
    ),
    figure('expected', 'one_off_total', expected.oneOff.totalPence),
    ...expected.renewals.map((renewal) =>
      figure('expected', `renewal_${renewal.change}`, renewal.presentValuePence, {
        sourceType: 'income_stream',
        sourceId: renewal.sourceId,
        description: `${renewal.description} (probability ${renewal.probability}, present value at certainty)`,
      }),
    ),
    ...expected.cashFlow.map((year) => figure('expected', `saving_year_${year.year}`, year.expectedSavingPence)),
    figure('expected', 'npv', expected.npvPence),
    ...economicCase.outcomes.map((outcome) =>
      figure('economic_case', 'outcome_value_lost', outcome.presentValue.totalPence, {
        sourceType: 'outcome',
        sourceId: outcome.outcomeId,
        description: `${outcome.name}${outcome.illustrative ? ' (illustrative default)' : ''}`,
      }),
    ),
    figure('economic_case', 'value_lost_fiscal', economicCase.valueLost.fiscalPence),
    figure('economic_case', 'value_lost_economic', economicCase.valueLost.economicPence),
    figure('economic_case', 'value_lost_social', economicCase.valueLost.socialPence),
    figure('economic_case', 'value_lost_cashable_fiscal', economicCase.valueLost.cashableFiscalPence),
    figure('economic_case', 'value_lost_total', economicCase.valueLost.totalPence),
    figure('economic_case', 'economic_npv', economicCase.economicNpvPence),
    figure('uncertainty', 'economic_npv_low', uncertainty.economicNpv.lowPence),
    figure('uncertainty', 'economic_npv_high', uncertainty.economicNpv.highPence),
    ...(monteCarlo
      ? [
          figure('monte_carlo', 'economic_npv_p10', monteCarlo.economic.p10Pence),
          figure('monte_carlo', 'economic_npv_p50', monteCarlo.economic.p50Pence),
          figure('monte_carlo', 'economic_npv_p90', monteCarlo.economic.p90Pence),
        ]
      : []),
  ];
}

export function evaluationToCsv(evaluation: ScenarioEvaluation): string {
  const { baseline, scenario, savings } = evaluation;
  const annual = (item: string, before: number, after: number): Row => ({ section: 'annual', item, pence: [before, after] });
  const oneOff = (item: string, pence: number): Row => ({ section: 'one_off', item, pence: [null, pence] });
  const rows: Row[] = [
    annual('staff', baseline.money.staffPence, scenario.money.staffPence),
    annual('premises', baseline.money.premisesPence, scenario.money.premisesPence),
    annual('running', baseline.money.runningPence, scenario.money.runningPence),
    annual('central', baseline.money.centralPence, scenario.money.centralPence),
    annual('gross_cost', baseline.money.grossCostPence, scenario.money.grossCostPence),
    annual('income', baseline.money.incomePence, scenario.money.incomePence),
    annual('net_cost', baseline.money.netCostPence, scenario.money.netCostPence),
    oneOff('redundancy', savings.oneOff.redundancyPence),
    oneOff('closure_costs', savings.oneOff.closureCostsPence),
    oneOff('capital_costs', savings.oneOff.capitalCostsPence),
    oneOff('capital_receipts', savings.oneOff.capitalReceiptsPence),
    oneOff('one_off_total', savings.oneOff.totalPence),
    ...savings.cashFlow.map(
      (year): Row => ({
        section: 'cash_flow',
        item: `year_${year.year}`,
        description: 'net cost',
        startDate: year.startDate,
        endDate: year.endDate,
        pence: [year.baselineNetCostPence, year.scenarioNetCostPence],
      }),
    ),
    { section: 'summary', item: 'full_year_saving', description: 'year 1 with every action in effect all year', pence: [null, savings.fullYearSavingPence] },
    { section: 'summary', item: 'in_year_saving', description: 'year 1 with each action from its effective date', pence: [null, savings.inYearSavingPence] },
    {
      section: 'summary',
      item: 'npv',
      description: `over ${evaluation.parameters.horizonYears} years at ${evaluation.parameters.discountRate}`,
      pence: [null, savings.npvPence],
    },
    { section: 'summary', item: 'payback_years', description: 'null when not within the horizon', values: [null, savings.paybackYears] },
    ...economicRows(evaluation),
    ...(Object.keys(baseline.reach) as (keyof typeof baseline.reach)[])
      .filter((item) => item !== 'byService' && item !== 'coreOffer')
      .map((item): Row => ({ section: 'reach', item, values: [baseline.reach[item] as number | null, scenario.reach[item] as number | null] })),
    ...baseline.reach.byService.flatMap((before, index): Row[] => {
      const after = scenario.reach.byService[index]!;
      return [
        { section: 'reach', item: `${before.service}_reached_under5s`, values: [before.reachedUnder5s, after.reachedUnder5s] },
        { section: 'reach', item: `${before.service}_deprived_reached_under5s`, values: [before.deprivedReachedUnder5s, after.deprivedReachedUnder5s] },
      ];
    }),
    ...(baseline.reach.coreOffer && scenario.reach.coreOffer
      ? ([
          {
            section: 'reach',
            item: 'core_offer_reached_under5s',
            description: baseline.reach.coreOffer.services.join(' '),
            values: [baseline.reach.coreOffer.reachedUnder5s, scenario.reach.coreOffer.reachedUnder5s],
          },
          {
            section: 'reach',
            item: 'core_offer_deprived_reached_under5s',
            values: [baseline.reach.coreOffer.deprivedReachedUnder5s, scenario.reach.coreOffer.deprivedReachedUnder5s],
          },
        ] satisfies Row[])
      : []),
    ...evaluation.warnings.map((warning): Row => ({ section: 'warning', item: warning.code, description: warning.message, ...warningSource(warning) })),
    ...evaluation.lineItems.map(
      (item): Row => ({
        section: 'line_item',
        item: item.category,
        description: item.description,
        sourceType: item.sourceType,
        sourceId: item.sourceId,
        actionIndex: item.actionIndex,
        pence: [item.baselinePence, item.scenarioPence],
      }),
    ),
  ];
  return toCsv(header, rows.map(record), { poundsBesidePence: true });
}
