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

/** Index attributes of a case item; absent attributes keep the item out of a sparse index. */
export function caseIndexAttributes(c: CaseRecord): Record<string, string> {
  const attrs: Record<string, string> = {
    bmpk: `${c.department}#${chinaMonth(c.receivedAt)}`,
    bmsk: c.caseNo,
    phpk: `PH#${c.phoneHash}`,
    phsk: `${c.receivedAt}#${c.caseNo}`,
  };
  if (isOpen(c.status)) {
    const due = c.deadlines?.committed ?? '9999-12-31';
    attrs.obdpk = `DEPT#${c.department}`;
    attrs.obdsk = `${due}#${c.caseNo}`;
    if (c.status === 'submitted' || c.status === 'accepted') {
      attrs.wlpk = c.post ? `POST#${c.post}` : `DEPT#${c.department}`;
      attrs.wlsk = `${due}#${c.caseNo}`;
    }
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
