/**
 * Case numbers (办件编号) a person can read aloud over the phone: the department, the China
 * date of receipt and that department's sequence number for the day, e.g. ENV-20261130-0042.
 * Pure: the date and the sequence are arguments.
 */
import { DATE_RE } from './china-time';

/** DEPT-YYYYMMDD-NNNN: department code, China date, sequence (at least 4 digits, no extra leading zeros). */
export const CASE_NO_RE = /^([A-Z][A-Z0-9]{1,11})-(\d{4})(\d{2})(\d{2})-(\d{4}|[1-9]\d{4,})$/;

export interface CaseNoParts {
  department: string;
  /** China date of receipt, YYYY-MM-DD. */
  date: string;
  /** Sequence number of the case within the department and day, from 1. */
  seq: number;
}

/** Whether a YYYY-MM-DD string is a day of the calendar (no 2026-02-30). */
function isRealDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** "ENV", "2026-11-30", 42 → "ENV-20261130-0042". The sequence is padded to 4 digits and grows beyond. */
export function formatCaseNo(department: string, chinaDate: string, seq: number): string {
  if (!/^[A-Z][A-Z0-9]{1,11}$/.test(department)) throw new RangeError(`"${department}" is not a department code`);
  if (!isRealDate(chinaDate)) throw new RangeError(`"${chinaDate}" is not a date YYYY-MM-DD`);
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new RangeError(`the sequence must be a whole number from 1, not ${seq}`);
  return `${department}-${chinaDate.replace(/-/g, '')}-${String(seq).padStart(4, '0')}`;
}

/**
 * The parts of a case number, or undefined when it is not one. Surrounding spaces and lower case
 * (as typed by a person reading it from a receipt) are accepted.
 */
export function parseCaseNo(s: string): CaseNoParts | undefined {
  const m = CASE_NO_RE.exec(s.trim().toUpperCase());
  if (!m) return undefined;
  const date = `${m[2]}-${m[3]}-${m[4]}`;
  const seq = Number(m[5]);
  if (!isRealDate(date) || seq < 1 || !Number.isSafeInteger(seq)) return undefined;
  return { department: m[1], date, seq };
}
