// Phasing: each action takes effect on its own date within the horizon (default the start date). The
// scenario is then a run of states, each the network with the actions in effect so far, and a year's
// cost and income are those of each state pro-rated by the days it lasts in the year, rounded once.
import type { ScenarioAction, ScenarioParameters } from '../schemas/scenario.js';
import { dayNumber, isoDate, type PlanYear } from './dates.js';

/** The day (see dates.ts) an action takes effect. */
export const effectiveDay = (action: ScenarioAction, parameters: ScenarioParameters): number => dayNumber(action.effectiveDate ?? parameters.startDate);

/**
 * Why an action's date cannot be used, if it cannot: before the start, after the horizon, or before
 * the action listed before it (actions take effect in list order, so each sees the ones before it).
 */
export function effectiveDateProblem(
  action: ScenarioAction,
  previous: ScenarioAction | undefined,
  parameters: ScenarioParameters,
  years: readonly PlanYear[],
): string | undefined {
  const day = effectiveDay(action, parameters);
  const lastDay = years.at(-1)!.lastDay;
  const date = action.effectiveDate ?? `${parameters.startDate} (the start, by default)`;
  if (day < years[0]!.firstDay) return `effectiveDate ${date} is before the scenario's start ${parameters.startDate}`;
  if (day > lastDay) return `effectiveDate ${date} is after the horizon's last day ${isoDate(lastDay)}`;
  if (previous && day < effectiveDay(previous, parameters)) {
    return `effectiveDate ${date} is before that of the action listed before it (${isoDate(effectiveDay(previous, parameters))}): list actions in the order they take effect`;
  }
  return undefined;
}

/** A state of a phased scenario: from `firstDay` (to the next state's first day), the first `actionCount` actions are in effect. */
export interface Phase {
  firstDay: number;
  actionCount: number;
}

/** The scenario's states from the start date, one per distinct date; one state (all actions) when none is dated later. */
export function phases(actions: readonly ScenarioAction[], parameters: ScenarioParameters, years: readonly PlanYear[]): Phase[] {
  const start = years[0]!.firstDay;
  const result: Phase[] = [{ firstDay: start, actionCount: 0 }];
  actions.forEach((action, index) => {
    const day = effectiveDay(action, parameters);
    const last = result.at(-1)!;
    if (day === last.firstDay) last.actionCount = index + 1;
    else result.push({ firstDay: day, actionCount: index + 1 });
  });
  return result;
}

/** The days of `phase` (the `index`-th of `all`) in `year`, as a plan year clipped to them (its `days` still the whole year's). */
export function phaseWithin(all: readonly Phase[], index: number, year: PlanYear): PlanYear | null {
  const firstDay = Math.max(all[index]!.firstDay, year.firstDay);
  const next = all[index + 1];
  const lastDay = Math.min(next === undefined ? year.lastDay : next.firstDay - 1, year.lastDay);
  return firstDay > lastDay ? null : { year: year.year, firstDay, lastDay, days: year.days };
}

/**
 * The plan year (0 … horizon) a one-off on `day` falls in: a one-off on the first day of year t falls
 * at the end of year t − 1 (so on the start date, in year 0, as an undated change), otherwise in year t.
 */
export function oneOffYear(day: number, years: readonly PlanYear[]): number {
  const year = years.find((candidate) => candidate.firstDay <= day && day <= candidate.lastDay)!;
  return day === year.firstDay ? year.year - 1 : year.year;
}
