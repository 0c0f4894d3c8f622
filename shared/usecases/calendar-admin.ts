/**
 * The working-day calendar as administrators keep it: PUT /calendar/{year} stores a year
 * (validated by validateCalendarYear) and asks for every open case to be recomputed on the new
 * calendar, which the recompute-deadlines job does off the request path (answered 202);
 * GET /calendar/{year} tells where a year's data comes from, and how far the recomputation is.
 */
import type { Actor } from '../domain/case';
import { validateCalendarYear, type CalendarYear } from '../domain/calendar';
import { officialCalendarYears } from '../domain/calendar-seed';
import { toChinaIso } from '../domain/china-time';
import { ValidationError } from '../domain/errors';
import type { JobState } from '../store/job-state-repository';
import { RECOMPUTE_JOB, requestRecompute, type RecomputeDeps, type RecomputeRequest } from './recompute-deadlines';

/** How far the recomputation of open cases is, as the calendar routes show it. */
export interface RecomputeStatus {
  state: 'pending' | 'done';
  requestedAt: string;
  casesLookedAt: number;
  casesChanged: number;
  finishedAt?: string;
}

function recomputeStatus(job: JobState<RecomputeRequest> | undefined): RecomputeStatus | undefined {
  if (!job) return undefined;
  return {
    state: job.state,
    requestedAt: job.requestedAt,
    casesLookedAt: job.processed,
    casesChanged: job.changed,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
}

export async function putCalendarYear(year: string, body: unknown, actor: Actor, deps: RecomputeDeps) {
  const data = validateCalendarYear(year, body);
  const stored = { ...data, updatedAt: toChinaIso(deps.clock.now()), updatedBy: actor.id };
  await deps.calendar.put(stored);
  await requestRecompute(`calendar ${data.year} changed by ${actor.id}`, actor, deps);
  const recompute: RecomputeStatus = recomputeStatus(await deps.jobStates.get<RecomputeRequest>(RECOMPUTE_JOB)) ?? {
    state: 'pending',
    requestedAt: stored.updatedAt,
    casesLookedAt: 0,
    casesChanged: 0,
  };
  return { ...stored, status: 'stored' as const, recompute };
}

export type CalendarYearStatus = 'official' | 'stored' | 'missing';

export async function getCalendarYear(year: string, deps: Pick<RecomputeDeps, 'calendar' | 'jobStates'>) {
  if (!/^\d{4}$/.test(year))
    throw new ValidationError([{ field: 'year', message: `must be a year written YYYY, got ${JSON.stringify(year)}` }]);
  const y = Number(year);
  const recompute = recomputeStatus(await deps.jobStates.get<RecomputeRequest>(RECOMPUTE_JOB));
  const withRecompute = recompute ? { recompute } : {};
  const stored = (await deps.calendar.stored()).find((s) => s.year === y);
  if (stored) return { ...stored, status: 'stored' as CalendarYearStatus, ...withRecompute };
  const official: CalendarYear | undefined = officialCalendarYears().find((s) => s.year === y);
  if (official) return { ...official, status: 'official' as CalendarYearStatus, ...withRecompute };
  return {
    year: y,
    holidays: [],
    workdays: [],
    status: 'missing' as CalendarYearStatus,
    note: `no official calendar for ${y} yet: deadlines in it skip weekends only and cases show calendarIncomplete; an administrator adds it with PUT /calendar/${y}`,
    ...withRecompute,
  };
}
