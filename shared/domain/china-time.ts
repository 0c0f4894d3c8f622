/**
 * China Standard Time (Asia/Shanghai, UTC+8, no daylight saving) for every date a person
 * sees or a rule counts. Instants are stored as ISO strings with the +08:00 offset.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China of an instant, as YYYY-MM-DD. */
export function chinaDate(instant: Date | string): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
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

/** The calendar date `days` after `date` (both YYYY-MM-DD); negative goes back. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Day of week of a YYYY-MM-DD date: 0 Sunday .. 6 Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whole calendar days from `a` to `b` (YYYY-MM-DD); positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
