/**
 * China Standard Time (Asia/Shanghai, UTC+8, no daylight saving) for every date a person
 * sees or a rule counts, and the one home of day arithmetic. Instants are stored as ISO
 * strings with the +08:00 offset; dates are YYYY-MM-DD China dates.
 *
 * Day numbers: a date is the count of days since 1970-01-01 (a Thursday), computed with
 * integer arithmetic only (H. Hinnant, "chrono-compatible low-level date algorithms"), so
 * the working-day clock and the report accumulator count dates without building a Date.
 * Everything here that turns a date or an instant into a day and back goes through these.
 */

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------------------
// Day numbers
// ---------------------------------------------------------------------------------------

/** The day number of year `y`, month `m` (1..12), day `d` (proleptic Gregorian; no checks). */
export function dayNumberOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The YYYY-MM-DD date of a day number (days since 1970-01-01). */
export function fromDayNumber(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1..12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** The day number of the real date YYYY-MM-DD that starts `s`, or NaN when it does not start with one. */
function datePrefixDayNumber(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN; // '-'
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (!(m >= 1 && m <= 12) || !(d >= 1 && d <= daysInMonth(y, m))) return NaN;
  return dayNumberOf(y, m, d);
}

/** The day number of a YYYY-MM-DD date, or NaN when it is not a real date in that form. */
function tryDayNumber(date: string): number {
  return typeof date === 'string' && date.length === 10 ? datePrefixDayNumber(date) : NaN;
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(date: string): boolean {
  return !Number.isNaN(tryDayNumber(date));
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. Throws RangeError on anything else. */
export function toDayNumber(date: string): number {
  const n = tryDayNumber(date);
  if (Number.isNaN(n)) throw new RangeError(`not a date written YYYY-MM-DD: ${JSON.stringify(date)}`);
  return n;
}

/** 0 Sunday .. 6 Saturday of a day number. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * Day number of the China date of `s`: a bare date YYYY-MM-DD is already a China date; an
 * instant written with +08:00 carries its China date in its first ten characters; any other
 * instant is parsed. NaN when absent or unreadable (NaN is in no period). No allocation on
 * the first two forms: this is the report accumulator's inner loop.
 */
export function chinaDayNumber(s: string | undefined): number {
  if (s === undefined) return NaN;
  if (s.length === 10 || (s.charCodeAt(10) === 84 /* T */ && s.endsWith('+08:00'))) return datePrefixDayNumber(s);
  return Math.floor((Date.parse(s) + OFFSET_MS) / DAY_MS);
}

// ---------------------------------------------------------------------------------------
// Instants and China dates
// ---------------------------------------------------------------------------------------

/**
 * The calendar date in China of an instant, as YYYY-MM-DD; computed with day arithmetic, not by
 * formatting a Date (most of the cost of a deadline in the supervision sweep). Throws RangeError
 * naming `name` when the instant is not one.
 */
export function chinaDate(instant: Date | string, name = 'instant'): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} is not an ISO instant: ${JSON.stringify(instant)}`);
  return fromDayNumber(Math.floor((t + OFFSET_MS) / DAY_MS));
}

/** The month in China of an instant, as YYYY-MM. */
export function chinaMonth(instant: Date | string): string {
  return chinaDate(instant).slice(0, 7);
}

/** An instant as an ISO string with the +08:00 offset, e.g. 2026-10-16T09:30:00.000+08:00. */
export function toChinaIso(instant: Date | string): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(t + OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The instant at which a China calendar date (YYYY-MM-DD) begins. */
export function startOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`));
}

// ---------------------------------------------------------------------------------------
// Calendar days (working days are WorkingCalendar's, in calendar.ts)
// ---------------------------------------------------------------------------------------

/** The calendar date `days` after `date` (both YYYY-MM-DD); negative goes back. Throws RangeError on a bad date. */
export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Day of week of a YYYY-MM-DD date: 0 Sunday .. 6 Saturday. */
export function dayOfWeek(date: string): number {
  return weekdayOf(toDayNumber(date));
}

/** Whole calendar days from `a` to `b` (YYYY-MM-DD); positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}
