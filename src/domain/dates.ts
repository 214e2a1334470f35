// Calendar dates as whole UTC day numbers: no time zones, no clock.

const msPerDay = 86_400_000;

function utcDay(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999; it also rolls 29 February over.
  return new Date(0).setUTCFullYear(year, month - 1, day) / msPerDay;
}

/** The number written in text[from, to), read by character code: no substrings, for a parse that runs for every income stream. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

function parts(isoDateText: string): [number, number, number] {
  return [digitsAt(isoDateText, 0, 4), digitsAt(isoDateText, 5, 7), digitsAt(isoDateText, 8, 10)];
}

/**
 * Days since 1970-01-01 of a valid YYYY-MM-DD date, by arithmetic on the proleptic Gregorian
 * calendar (H. Hinnant's days_from_civil): it runs for every income stream in every plan year.
 */
export function dayNumber(isoDateText: string): number {
  const [year, month, day] = parts(isoDateText);
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function isoDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** The same day `years` later; 29 February becomes 1 March in a common year. */
export function addYears(isoDateText: string, years: number): string {
  const [year, month, day] = parts(isoDateText);
  return isoDate(utcDay(year + years, month, day));
}

/** Scenario year t (1-based) runs from the start date t − 1 years on to the day before year t + 1 starts. */
export interface PlanYear {
  year: number;
  firstDay: number;
  lastDay: number;
  days: number;
}

export function planYears(startDate: string, horizonYears: number): PlanYear[] {
  return Array.from({ length: horizonYears }, (_, index) => {
    const firstDay = dayNumber(addYears(startDate, index));
    const lastDay = dayNumber(addYears(startDate, index + 1)) - 1;
    return { year: index + 1, firstDay, lastDay, days: lastDay - firstDay + 1 };
  });
}

/** Days of [firstDay, lastDay] on which something running from `from` to `to` (inclusive, null = open-ended) is active. */
export function daysActive(from: number, to: number | null, year: PlanYear): number {
  const first = Math.max(from, year.firstDay);
  const last = Math.min(to ?? year.lastDay, year.lastDay);
  return Math.max(0, last - first + 1);
}

/** The first 1 April strictly after `asOf`: the start of the next council financial year. */
export function nextFinancialYearStart(asOf: string): string {
  const year = Number(asOf.slice(0, 4));
  const thisYears = `${String(year).padStart(4, '0')}-04-01`;
  return asOf < thisYears ? thisYears : `${String(year + 1).padStart(4, '0')}-04-01`;
}
