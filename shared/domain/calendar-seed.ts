/**
 * The official working-day calendar as published in the chinese-days package: every year it
 * covers (2004 to 2026 in 1.5.7), its holidays and its make-up working days (调休上班日).
 * The package publishes its data as dist/chinese-days.json ({ holidays, workdays, inLieuDays },
 * each a map from YYYY-MM-DD to "English name,中文名,n"); only the first two matter here.
 *
 * Years after the package's last are added by an administrator (PUT /calendar/{year}) and
 * override these when both are given to WorkingCalendar. Pure and deterministic: the same
 * years, sorted, every time.
 */
import data from 'chinese-days/dist/chinese-days.json';
import { CalendarYear } from './calendar';

export const SEED_SOURCE = 'chinese-days';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let cached: readonly CalendarYear[] | undefined;

function build(): readonly CalendarYear[] {
  const { holidays, workdays } = data as ChineseDaysData;
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  const entry = (date: string) => {
    const year = Number(date.slice(0, 4));
    let e = byYear.get(year);
    if (!e) byYear.set(year, (e = { holidays: [], workdays: [] }));
    return e;
  };
  for (const date of Object.keys(holidays)) entry(date).holidays.push(date);
  for (const date of Object.keys(workdays)) entry(date).workdays.push(date);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, e]) => ({ year, holidays: e.holidays.sort(), workdays: e.workdays.sort(), source: SEED_SOURCE }));
}

/** Every year chinese-days covers, ascending, source "chinese-days". Each call returns fresh copies. */
export function officialCalendarYears(): CalendarYear[] {
  cached ??= build();
  return cached.map((y) => ({ ...y, holidays: [...y.holidays], workdays: [...y.workdays] }));
}
