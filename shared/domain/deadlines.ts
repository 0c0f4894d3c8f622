/**
 * Deadlines of a case (限时办结) on the working-day clock, the art. 32 deemed acceptance, and
 * the supervision colours (电子监察: yellow warning, red alarm). Pure: `now` is an argument.
 *
 * Every date is a China date (YYYY-MM-DD, Asia/Shanghai); instants are turned into dates
 * (chinaDate in china-time.ts) before anything is counted.
 */
import { Deadlines, Pause } from './case';
import type { WorkingCalendar } from './calendar';
import { chinaDate } from './china-time';

export type LimitUnit = 'working-days' | 'calendar-days';

/** A time limit (时限) as published in the service guide: a number of working days (工作日) or days (日). */
export interface TimeLimit {
  value: number;
  unit: LimitUnit;
}

export interface DeadlineInput {
  /** The instant of acceptance (受理); the clock starts the day after (Civil Code art. 201). */
  acceptedAt: string;
  committedLimit: TimeLimit;
  statutoryLimit: TimeLimit;
  pauses: readonly Pause[];
  calendar: WorkingCalendar;
  now: Date;
}

export interface ComputedDeadlines extends Deadlines {
  /** Working days from today to the committed deadline: 0 on the day, negative once it has passed. */
  workingDaysLeft: number;
  /** The day the case is due if nothing changes (see computeDeadlines). */
  predictedCompletion: string;
  /** Some year from acceptance to the last deadline has no calendar data and was counted Monday–Friday. */
  calendarIncomplete: boolean;
  /** Working days covered by pauses (after acceptance), all pauses together. */
  pausedWorkingDays: number;
  /**
   * The clock is paused now: a pause with no end yet (the deadlines move one working day later for
   * every working day it stays open), or one with a known end still to come (a public notice).
   */
  pauseOpen: boolean;
  /** The pause in force now, if any: why, since when, and until when when that is known. */
  currentPause?: { reason: Pause['reason']; since: string; until?: string };
}

/** Checks a limit read from data (the catalog), whatever its static type says. */
function checkLimit(limit: { value: number; unit: string }, name: string): void {
  if (!Number.isSafeInteger(limit.value) || limit.value < 0) {
    throw new RangeError(`${name}.value must be a whole number of days, 0 or more: ${limit.value}`);
  }
  if (limit.unit !== 'working-days' && limit.unit !== 'calendar-days') {
    throw new RangeError(`${name}.unit must be working-days or calendar-days: ${limit.unit}`);
  }
}

/** The deadline of a limit counted from the acceptance date, before any pause. */
function baseDeadline(calendar: WorkingCalendar, accepted: string, limit: TimeLimit): string {
  if (limit.value === 0) return accepted; // instant item (即办件): the same day, whatever the unit
  return limit.unit === 'working-days'
    ? calendar.addWorkingDays(accepted, limit.value)
    : calendar.addCalendarDays(accepted, limit.value);
}

interface PausedSpan {
  /** The span covers working days d with from < d <= to. */
  from: string;
  to: string;
  workingDays: number;
}

/**
 * The pauses as China-date spans, clipped to start no earlier than the acceptance date (time
 * before acceptance is not on the clock anyway), an open pause running to today, overlapping
 * or touching spans merged so no day counts twice, in order.
 */
function pausedSpans(
  calendar: WorkingCalendar,
  accepted: string,
  today: string,
  pauses: readonly Pause[],
): PausedSpan[] {
  const spans: { from: string; to: string }[] = [];
  for (const p of pauses) {
    const startDate = chinaDate(p.start, 'pause.start');
    const from = startDate < accepted ? accepted : startDate;
    const to = p.end === undefined ? today : chinaDate(p.end, 'pause.end');
    if (to > from) spans.push({ from, to });
  }
  if (spans.length > 1) spans.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: PausedSpan[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.from <= last.to) {
      if (s.to > last.to) last.to = s.to;
    } else {
      merged.push({ from: s.from, to: s.to, workingDays: 0 });
    }
  }
  for (const m of merged) m.workingDays = calendar.workingDaysBetween(m.from, m.to);
  return merged;
}

/**
 * Moves a deadline later by the working days of each pause that starts before it. A pause that
 * starts on or after the deadline day cannot move it: the limit had already run out (otherwise
 * asking for a supplement would cure an overdue case). Processed in order, this is exactly
 * "the deadline is the day the limit's working days have run outside pauses".
 */
function extend(calendar: WorkingCalendar, deadline: string, spans: readonly PausedSpan[]): string {
  let d = deadline;
  for (const s of spans) {
    if (s.from >= d) break;
    if (s.workingDays > 0) d = calendar.addWorkingDays(d, s.workingDays);
  }
  return d;
}

/**
 * The committed and statutory deadlines of a case and where it stands today.
 *
 * - Dates are China dates; the acceptance date is chinaDate(acceptedAt) and is not counted.
 * - N working days end on the Nth working day after acceptance; N calendar days end on
 *   acceptance + N, rolled to the next working day when that is not one (art. 203).
 *   A limit of 0 (即办件) ends on the acceptance date.
 * - Pauses: a pause from instant `start` to instant `end` covers the working days d with
 *   chinaDate(start) < d <= chinaDate(end). The day it starts is a clock day (the case was
 *   worked on until it was sent back), the day it ends is not (the clock restarts the next
 *   day, like a new period, art. 201). So a pause that starts and ends on the same day covers
 *   0, and one from Monday to Thursday covers Tuesday–Thursday: 3. An open pause runs to today.
 *   Each pause moves both deadlines later by the working days it covers, unless it starts on
 *   or after that deadline (see extend). Pauses overlapping each other are merged; the part of
 *   a pause before the acceptance date is ignored.
 * - workingDaysLeft: working days in (today, committed]; 0 on the day; once the deadline has
 *   passed, minus the working days in (committed, today], and at least -1 (so the weekend after
 *   a Friday deadline reads overdue, not "due today").
 * - predictedCompletion: while a pause is open, the committed deadline as if the pause ended
 *   today (the applicant supplies today, the clock restarts tomorrow). That is the value
 *   `committed` holds while a pause is open, since an open pause is counted to today; it moves
 *   one working day later for each further working day the pause stays open, and pauseOpen
 *   says so. With no open pause, it is the committed deadline.
 * - calendarIncomplete: some year from the acceptance date to the later deadline has no
 *   calendar data, so weekends only were skipped in it.
 */
export function computeDeadlines(input: DeadlineInput): ComputedDeadlines {
  const { calendar, committedLimit, statutoryLimit } = input;
  checkLimit(committedLimit, 'committedLimit');
  checkLimit(statutoryLimit, 'statutoryLimit');

  const accepted = chinaDate(input.acceptedAt, 'acceptedAt');
  const today = chinaDate(input.now, 'now');
  const spans = pausedSpans(calendar, accepted, today, input.pauses);

  const committed = extend(calendar, baseDeadline(calendar, accepted, committedLimit), spans);
  const statutory = extend(calendar, baseDeadline(calendar, accepted, statutoryLimit), spans);

  let workingDaysLeft = calendar.workingDaysBetween(today, committed);
  if (today > committed && workingDaysLeft > -1) workingDaysLeft = -1;

  let pausedWorkingDays = 0;
  for (const s of spans) pausedWorkingDays += s.workingDays;
  const nowMs = input.now.getTime();
  const current = input.pauses.find(
    (p) => Date.parse(p.start) <= nowMs && (p.end === undefined || Date.parse(p.end) > nowMs),
  );
  const pauseOpen = current !== undefined;

  const last = committed > statutory ? committed : statutory;
  return {
    committed,
    statutory,
    workingDaysLeft,
    predictedCompletion: committed,
    calendarIncomplete: calendar.incompleteYears(accepted, last).length > 0,
    pausedWorkingDays,
    pauseOpen,
    ...(current
      ? {
          currentPause: {
            reason: current.reason,
            since: current.start,
            ...(current.end ? { until: current.end } : {}),
          },
        }
      : {}),
  };
}

export interface Art32Input {
  /** When the application was received (收件). */
  receivedAt: string;
  /** When the one-time supplement notice (一次性告知) was issued, if it was. */
  noticeIssuedAt?: string;
  now: Date;
  calendar: WorkingCalendar;
}

/** Working days within which a supplement notice must be given (Administrative Licensing Law art. 32, art. 82). */
export const ART32_NOTICE_WORKING_DAYS = 5;

/**
 * Administrative Licensing Law art. 32: a notice to supplement must be given on the spot or
 * within 5 working days; if it is not, the application counts as accepted from the day it was
 * received. Deemed when today (China date of now) is after the 5th working day after receipt
 * and no notice was issued by the end of that day (a notice issued later is too late).
 * Then acceptedAt is receivedAt.
 */
export function art32DeemedAcceptance(input: Art32Input): { deemed: boolean; acceptedAt?: string } {
  const received = chinaDate(input.receivedAt, 'receivedAt');
  const notice = input.noticeIssuedAt === undefined ? undefined : chinaDate(input.noticeIssuedAt, 'noticeIssuedAt');
  const lastDay = input.calendar.addWorkingDays(received, ART32_NOTICE_WORKING_DAYS);
  if (chinaDate(input.now, 'now') <= lastDay) return { deemed: false };
  if (notice !== undefined && notice <= lastDay) return { deemed: false };
  return { deemed: true, acceptedAt: input.receivedAt };
}

/** Supervision settings: no national threshold for the yellow warning exists, so the hall sets one. */
export interface WarningSettings {
  /** Yellow at this many working days left or fewer... */
  yellowDays?: number;
  /** ...or at this fraction of the limit, whichever is more. */
  yellowFraction?: number;
}

export const DEFAULT_YELLOW_DAYS = 2;
export const DEFAULT_YELLOW_FRACTION = 0.2;

/**
 * Working days left at which a case turns yellow: max(settingDays, ceil(fraction × limit)).
 * A calendar-day limit is taken at its number of days (a slightly earlier warning).
 */
export function yellowThreshold(
  limit: TimeLimit,
  settingDays: number = DEFAULT_YELLOW_DAYS,
  settingFraction: number = DEFAULT_YELLOW_FRACTION,
): number {
  // The epsilon keeps float noise (0.2 × 35 = 7.000000000000001) from adding a day.
  return Math.max(settingDays, Math.ceil(settingFraction * limit.value - 1e-9));
}

export type DeadlineColour = 'green' | 'yellow' | 'red';

/** Red (报警) once the committed deadline has passed, yellow (预警) at or under the threshold, else green. */
export function deadlineColour(
  state: { workingDaysLeft: number; limit: TimeLimit },
  settings: WarningSettings = {},
): DeadlineColour {
  if (state.workingDaysLeft < 0) return 'red';
  const threshold = yellowThreshold(
    state.limit,
    settings.yellowDays ?? DEFAULT_YELLOW_DAYS,
    settings.yellowFraction ?? DEFAULT_YELLOW_FRACTION,
  );
  return state.workingDaysLeft <= threshold ? 'yellow' : 'green';
}
