/**
 * The working-day calendar as administrators keep it: PUT /calendar/{year} stores a year
 * (validated by validateCalendarYear) and recomputes every open case on the new calendar;
 * GET /calendar/{year} tells where a year's data comes from.
 */
import type { Actor } from '../domain/case';
import { validateCalendarYear, type CalendarYear } from '../domain/calendar';
import { officialCalendarYears } from '../domain/calendar-seed';
import { toChinaIso } from '../domain/china-time';
import { ValidationError } from '../domain/errors';
import { recomputeOpenCases, type RecomputeDeps } from './recompute-deadlines';

export async function putCalendarYear(year: string, body: unknown, actor: Actor, deps: RecomputeDeps) {
  const data = validateCalendarYear(year, body);
  const stored = { ...data, updatedAt: toChinaIso(deps.clock.now()), updatedBy: actor.id };
  await deps.calendar.put(stored);
  const changed = await recomputeOpenCases(actor, `calendar ${data.year} changed by ${actor.id}`, deps);
  return { ...stored, status: 'stored' as const, recomputed: changed.length };
}

export type CalendarYearStatus = 'official' | 'stored' | 'missing';

export async function getCalendarYear(year: string, deps: Pick<RecomputeDeps, 'calendar'>) {
  if (!/^\d{4}$/.test(year))
    throw new ValidationError([{ field: 'year', message: `must be a year written YYYY, got ${JSON.stringify(year)}` }]);
  const y = Number(year);
  const stored = (await deps.calendar.stored()).find((s) => s.year === y);
  if (stored) return { ...stored, status: 'stored' as CalendarYearStatus };
  const official: CalendarYear | undefined = officialCalendarYears().find((s) => s.year === y);
  if (official) return { ...official, status: 'official' as CalendarYearStatus };
  return {
    year: y,
    holidays: [],
    workdays: [],
    status: 'missing' as CalendarYearStatus,
    note: `no official calendar for ${y} yet: deadlines in it skip weekends only and cases show calendarIncomplete; an administrator adds it with PUT /calendar/${y}`,
  };
}
