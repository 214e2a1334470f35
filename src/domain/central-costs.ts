// Central costs: posts and budget lines of the council's network that belong to no site (back office,
// central management, a commissioning budget). They count in the network's cost like a site's, and
// scenario actions change, cut or add them (docs/planning-model.md, "Central costs").
import type { ScenarioAction } from '../schemas/scenario.js';
import { ExactTotal, fteScale, fteUnits, scalePence } from './money.js';
import type { CentralCost } from './types.js';

/** A line's annual cost exactly, in pence × fteScale (a post's FTE × cost per FTE; a budget scaled up). */
function addExact(total: ExactTotal, line: CentralCost): void {
  if (line.fte === null) total.addProduct(line.annualBudgetPence ?? 0, fteScale);
  else total.addProduct(fteUnits(line.fte), line.annualCostPerFtePence ?? 0);
}

/** The lines' annual cost, exactly, in pence × fteScale. */
export function centralExact(lines: readonly CentralCost[]): bigint {
  const total = new ExactTotal();
  for (const line of lines) addExact(total, line);
  return total.value();
}

/** The lines' annual cost, rounded once. */
export function centralPence(lines: readonly CentralCost[]): number {
  const total = new ExactTotal();
  for (const line of lines) addExact(total, line);
  return total.dividedBy(fteScale);
}

/** One line's annual cost, rounded on its own (as its line item shows it). */
export const centralLinePence = (line: CentralCost): number =>
  line.fte === null ? (line.annualBudgetPence ?? 0) : scalePence(fteUnits(line.fte), line.annualCostPerFtePence ?? 0, fteScale);

/** Central FTE and posts (lines with FTE). */
export function centralStaff(lines: readonly CentralCost[]): { fte: number; posts: number } {
  let units = 0;
  let posts = 0;
  for (const line of lines) {
    if (line.fte === null) continue;
    units += fteUnits(line.fte);
    posts++;
  }
  return { fte: units / fteScale, posts };
}

/** The part of a central post that an action cut: `line.fte` is the FTE removed, at the cost per FTE it had. */
export interface CentralRemoval {
  line: CentralCost;
  actionIndex: number;
  /** Added earlier in the same scenario, so never filled: no redundancy. */
  addedByScenario: boolean;
}

/** What a scenario's actions did to the central lines so far: the network's, over which they write. */
export interface CentralWorking {
  readonly baseline: readonly CentralCost[];
  /** Lines replaced or added, by id; null once removed. */
  readonly lines: Map<string, CentralCost | null>;
  /** Ids of the lines added, in the order added. */
  readonly addedIds: string[];
  readonly removals: CentralRemoval[];
  /** The last action that changed each line, by id. */
  readonly changedBy: Map<string, number>;
}

export const centralWorking = (baseline: readonly CentralCost[]): CentralWorking => ({
  baseline,
  lines: new Map(),
  addedIds: [],
  removals: [],
  changedBy: new Map(),
});

/** The scenario's central lines: the network's in order (as changed, less those removed), then those added. */
export function currentCentral(working: CentralWorking): CentralCost[] {
  const result: CentralCost[] = [];
  for (const line of working.baseline) {
    const now = working.lines.get(line.id);
    if (now !== null) result.push(now ?? line);
  }
  for (const id of working.addedIds) {
    const now = working.lines.get(id);
    if (now) result.push(now);
  }
  return result;
}

type Outcome = { reason: string } | { description: string };
type ChangeAction = Extract<ScenarioAction, { type: 'change_central_cost' }>;
type AddAction = Extract<ScenarioAction, { type: 'add_central_cost' }>;

const describeLine = (line: CentralCost) => `central cost "${line.title}" (${line.id})`;

function lineById(working: CentralWorking, id: string): CentralCost | undefined {
  const changed = working.lines.get(id);
  if (changed !== undefined) return changed ?? undefined;
  return working.baseline.find((line) => line.id === id);
}

function setLine(working: CentralWorking, id: string, line: CentralCost | null, actionIndex: number): void {
  working.lines.set(id, line);
  working.changedBy.set(id, actionIndex);
}

/**
 * Changes a central post's FTE or cost per FTE, or a budget line's amount. FTE cut costs redundancy
 * at the cost per FTE the post had; 0 FTE or a 0 budget removes the line.
 */
export function changeCentralCost(working: CentralWorking, action: ChangeAction, actionIndex: number): Outcome {
  const line = lineById(working, action.centralCostId);
  if (!line) return { reason: `unknown central cost ${action.centralCostId}: not a central cost of this council (or removed earlier)` };
  if (line.fte === null) {
    if (action.fte !== undefined || action.annualCostPerFtePence !== undefined) {
      return { reason: `${describeLine(line)} is a budget line: change it with annualBudgetPence, not fte or annualCostPerFtePence` };
    }
    if (action.annualBudgetPence === undefined) return { reason: `give annualBudgetPence for ${describeLine(line)}` };
    if (action.annualBudgetPence === line.annualBudgetPence) return { reason: `${describeLine(line)} is already ${line.annualBudgetPence} pence a year` };
    setLine(working, line.id, action.annualBudgetPence === 0 ? null : { ...line, annualBudgetPence: action.annualBudgetPence }, actionIndex);
    return { description: `Changed ${describeLine(line)} from ${line.annualBudgetPence} to ${action.annualBudgetPence} pence a year` };
  }
  if (action.annualBudgetPence !== undefined)
    return { reason: `${describeLine(line)} is a post: change it with fte or annualCostPerFtePence, not annualBudgetPence` };
  if (action.fte === undefined && action.annualCostPerFtePence === undefined) return { reason: `give fte or annualCostPerFtePence for ${describeLine(line)}` };
  const units = fteUnits(line.fte);
  const newUnits = action.fte === undefined ? units : fteUnits(action.fte);
  const costPerFte = action.annualCostPerFtePence ?? line.annualCostPerFtePence;
  if (newUnits === units && costPerFte === line.annualCostPerFtePence) return { reason: `${describeLine(line)} already has that FTE and cost` };
  if (newUnits < units) {
    working.removals.push({
      line: { ...line, fte: (units - newUnits) / fteScale },
      actionIndex,
      addedByScenario: working.addedIds.includes(line.id),
    });
  }
  setLine(working, line.id, newUnits === 0 ? null : { ...line, fte: newUnits / fteScale, annualCostPerFtePence: costPerFte }, actionIndex);
  return {
    description: `Changed ${describeLine(line)} from ${line.fte} FTE at ${line.annualCostPerFtePence} to ${newUnits / fteScale} FTE at ${costPerFte} pence per FTE`,
  };
}

/** Adds a central post (fte and annualCostPerFtePence) or budget line (annualBudgetPence). */
export function addCentralCost(working: CentralWorking, action: AddAction, actionIndex: number): Outcome {
  const isPost = action.fte !== undefined || action.annualCostPerFtePence !== undefined;
  if (isPost && action.annualBudgetPence !== undefined) {
    return { reason: 'give either fte with annualCostPerFtePence (a post) or annualBudgetPence (a budget line), not both' };
  }
  if (isPost && (action.fte === undefined || action.annualCostPerFtePence === undefined)) {
    return { reason: 'a central post needs both fte and annualCostPerFtePence' };
  }
  if (!isPost && action.annualBudgetPence === undefined) {
    return { reason: 'give fte with annualCostPerFtePence (a post) or annualBudgetPence (a budget line)' };
  }
  const line: CentralCost = {
    id: `action-${actionIndex}-central`,
    title: action.title,
    category: action.category,
    fte: action.fte ?? null,
    annualCostPerFtePence: action.annualCostPerFtePence ?? null,
    annualBudgetPence: action.annualBudgetPence ?? null,
  };
  working.addedIds.push(line.id);
  setLine(working, line.id, line, actionIndex);
  return { description: `Added ${line.category} central cost "${line.title}": ${centralLinePence(line)} pence a year` };
}
