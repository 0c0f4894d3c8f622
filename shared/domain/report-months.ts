/**
 * Which months a case counts in, so that the store can find a month's cases with Queries on
 * the by-month index alone (never a Scan). Pure: no I/O, no clock.
 *
 * A case item sits in the by-month partition of the month it was received. A report for a
 * later month M still needs it when, in M, it was accepted, decided or rated, or when it was
 * open at the end of M (received earlier, decided later). So, besides its own item, the store
 * writes one small "month touch" projection for each such month (see case-repository.ts):
 *
 *   touched months = { month of acceptedAt, month of rating.at }
 *                  ∪ every month from the month after receipt to the month of decidedAt (a decided case)
 *                  minus the month of receipt (the case item itself is there).
 *
 * A case that is still open needs no touch for the months it is open in: while open it is in
 * the sparse open-by-deadline index, which the report reads too; once it is decided, the touches
 * up to its decision month take over, so a past month's report computed later still finds every
 * case that was open at its end. A withdrawn case counts only where it was received or accepted.
 */
import type { ReportCase } from './reports';
import { chinaMonth } from './china-time';

/** YYYY-MM of the month after `month`. */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** YYYY-MM of the month before `month`. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to` (YYYY-MM, inclusive), ascending; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

/** The months a case touches other than its month of receipt, ascending (see the file comment). */
export function touchedMonths(
  c: Pick<ReportCase, 'receivedAt' | 'acceptedAt' | 'decidedAt' | 'rating' | 'status'>,
): string[] {
  const received = chinaMonth(c.receivedAt);
  const months = new Set<string>();
  if (c.acceptedAt) months.add(chinaMonth(c.acceptedAt));
  if (c.rating?.at) months.add(chinaMonth(c.rating.at));
  if (c.decidedAt && (c.status === 'approved' || c.status === 'denied')) {
    for (const m of monthsBetween(nextMonth(received), chinaMonth(c.decidedAt))) months.add(m);
  }
  months.delete(received);
  return [...months].filter((m) => m > received).sort();
}

/** The part of a case a report reads (REPORT_CASE_ATTRIBUTES), e.g. for a month touch item. */
export function reportRow(c: ReportCase): ReportCase {
  return {
    caseNo: c.caseNo,
    department: c.department,
    post: c.post,
    kind: c.kind,
    channel: c.channel,
    status: c.status,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    decidedAt: c.decidedAt,
    decision: c.decision ? { outcome: c.decision.outcome } : undefined,
    deadlines: c.deadlines ? { committed: c.deadlines.committed } : undefined,
    rating: c.rating,
  };
}
