/**
 * The official working-day calendar as published in the chinese-days package: every year it
 * covers (2004 to 2026 in 1.5.7), its holidays and its make-up working days (调休上班日).
 * scripts/seed-calendar.ts turns the package's dist/chinese-days.json into
 * catalog/official-calendar.json, which is what the functions bundle (a few KB, not 43).
 *
 * Years after the package's last are added by an administrator (PUT /calendar/{year}) and
 * override these when both are given to WorkingCalendar. Pure and deterministic: the same
 * years, sorted, every time.
 */
import data from '../../catalog/official-calendar.json';
import { CalendarYear } from './calendar';

/** Written by scripts/seed-calendar.ts from the chinese-days package (a test checks they agree). */
export const SEED_SOURCE = 'chinese-days';

let cached: readonly CalendarYear[] | undefined;

function build(): readonly CalendarYear[] {
  return (data as { years: { year: number; holidays: string[]; workdays: string[] }[] }).years.map((y) => ({
    ...y,
    source: SEED_SOURCE,
  }));
}

/** Every year chinese-days covers, ascending, source "chinese-days". Each call returns fresh copies. */
export function officialCalendarYears(): CalendarYear[] {
  cached ??= build();
  return cached.map((y) => ({ ...y, holidays: [...y.holidays], workdays: [...y.workdays] }));
}
