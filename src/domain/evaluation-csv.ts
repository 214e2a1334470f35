// A scenario evaluation as one spreadsheet table: the headline money first, then every line item, so a
// finance officer can check each total against the rows it comes from.
import type { ScenarioEvaluation } from '../schemas/scenario.js';
import { type CsvValue, toCsv } from './csv.js';

const header = ['section', 'item', 'sourceType', 'sourceId', 'description', 'actionIndex', 'baselinePence', 'scenarioPence', 'differencePence'];

export function evaluationToCsv(evaluation: ScenarioEvaluation): string {
  const { baseline, scenario, savings } = evaluation;
  const pair = (item: string, before: number, after: number): CsvValue[] => ['annual', item, null, null, null, null, before, after, after - before];
  const oneOff = (item: string, pence: number): CsvValue[] => ['one_off', item, null, null, null, null, null, pence, null];
  const rows: CsvValue[][] = [
    pair('staff', baseline.money.staffPence, scenario.money.staffPence),
    pair('premises', baseline.money.premisesPence, scenario.money.premisesPence),
    pair('running', baseline.money.runningPence, scenario.money.runningPence),
    pair('gross_cost', baseline.money.grossCostPence, scenario.money.grossCostPence),
    pair('income', baseline.money.incomePence, scenario.money.incomePence),
    pair('net_cost', baseline.money.netCostPence, scenario.money.netCostPence),
    oneOff('redundancy', savings.oneOff.redundancyPence),
    oneOff('closure_costs', savings.oneOff.closureCostsPence),
    oneOff('capital_receipts', savings.oneOff.capitalReceiptsPence),
    oneOff('one_off_total', savings.oneOff.totalPence),
    ...savings.cashFlow.map((year): CsvValue[] => [
      'cash_flow',
      `year_${year.year}`,
      null,
      null,
      `${year.startDate} to ${year.endDate}`,
      null,
      year.baselineNetCostPence,
      year.scenarioNetCostPence,
      year.scenarioNetCostPence - year.baselineNetCostPence,
    ]),
    ['summary', 'full_year_saving', null, null, 'year 1 with every action in effect all year', null, null, savings.fullYearSavingPence, null],
    ['summary', 'in_year_saving', null, null, 'year 1 with each action from its effective date', null, null, savings.inYearSavingPence, null],
    ['summary', 'npv', null, null, `over ${evaluation.parameters.horizonYears} years at ${evaluation.parameters.discountRate}`, null, null, savings.npvPence, null],
    ...evaluation.lineItems.map((item): CsvValue[] => [
      'line_item',
      item.category,
      item.sourceType,
      item.sourceId,
      item.description,
      item.actionIndex,
      item.baselinePence,
      item.scenarioPence,
      item.scenarioPence - item.baselinePence,
    ]),
  ];
  return toCsv(header, rows);
}
