/**
 * Every key shape and index attribute of the main table, in one place. Personal data never
 * appears in a key: phones are matched by their keyed hash.
 */
import type { CaseRecord } from '../domain/case';
import { isOpen } from '../domain/case';
import { chinaMonth } from '../domain/china-time';

export interface Key {
  pk: string;
  sk: string;
}

export const keys = {
  case: (caseNo: string): Key => ({ pk: `CASE#${caseNo}`, sk: 'CASE' }),
  /** Per department and China date: the sequence part of case numbers. */
  caseSequence: (department: string, date: string): Key => ({ pk: `SEQ#${department}#${date}`, sk: 'SEQ' }),
  /** A client's Idempotency-Key, scoped to the operation. */
  idempotency: (scope: string, key: string): Key => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
};

/** The date by which the next step of an open case is due; waiting on the applicant is never due. */
export function dueDate(c: CaseRecord): string {
  if (c.status === 'supplement-required') return NEVER;
  if (c.status === 'submitted') return c.preReviewDue ?? NEVER;
  return c.deadlines?.committed ?? NEVER;
}

export const NEVER = '9999-12-31';

/** Index attributes of a case item; absent attributes keep the item out of a sparse index. */
export function caseIndexAttributes(c: CaseRecord): Record<string, string> {
  const attrs: Record<string, string> = {
    bmpk: `${c.department}#${chinaMonth(c.receivedAt)}`,
    bmsk: c.caseNo,
    phpk: `PH#${c.phoneHash}`,
    phsk: `${c.receivedAt}#${c.caseNo}`,
  };
  const due = dueDate(c);
  if (isOpen(c.status)) {
    // Sparse: only open cases, by the date something is due (pre-review or the committed deadline).
    attrs.obdpk = `DEPT#${c.department}`;
    attrs.obdsk = `${due}#${c.caseNo}`;
  }
  if (c.status === 'submitted' || c.status === 'accepted') {
    // The window's own work: pre-review and acceptance, then the decision of single-department items.
    attrs.wlpk = c.assignee ? `STAFF#${c.assignee}` : `DEPT#${c.department}`;
    attrs.wlsk = `${due}#${c.caseNo}`;
  }
  return attrs;
}

export const KEY_ATTRIBUTES = ['pk', 'sk', 'wlpk', 'wlsk', 'obdpk', 'obdsk', 'bmpk', 'bmsk', 'phpk', 'phsk', 'entity'] as const;

/** Removes the key and index attributes from an item, leaving the entity. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
}

// ---------------------------------------------------------------------------------------
// Reports and supervision

/** Items of the reports (see shared/domain/report-months.ts and shared/store/report-repository.ts). */
export const reportKeys = {
  /**
   * A month touch: the report projection of a case (REPORT_CASE_ATTRIBUTES) for a month it
   * counts in other than its month of receipt; in the by-month index under that month.
   */
  monthTouch: (caseNo: string, month: string): Key => ({ pk: `CASE#${caseNo}`, sk: `MONTH#${month}` }),
  /** The stored monthly report (written by the monthly job). */
  report: (month: string): Key => ({ pk: `REPORT#${month}`, sk: 'REPORT' }),
};

/** The by-month partition of a department's month (YYYY-MM, China time): cases received then, and month touches. */
export function byMonthPartition(department: string, month: string): string {
  return `${department}#${month}`;
}

/** The open-by-deadline partition of a department: its open cases and review tasks, sorted `<due>#<id>`. */
export function openByDeadlinePartition(department: string): string {
  return `DEPT#${department}`;
}

/** Index attributes of a month touch: in by-month only (never in a sparse index). */
export function monthTouchIndexAttributes(department: string, caseNo: string, month: string): Record<string, string> {
  return { bmpk: byMonthPartition(department, month), bmsk: caseNo };
}
