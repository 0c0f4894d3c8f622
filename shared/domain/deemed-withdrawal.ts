/**
 * Deemed withdrawal (视为撤回): a case returned for supplement (一次性告知) whose applicant has
 * not supplied what was asked by the last day to supplement is taken as withdrawn. The period
 * is the item's `supplementWorkingDays` (catalog; default 15 working days) from the China date
 * of the notice, set on the notice when it is given (`notice.supplementDue`), so what the
 * applicant was told is what counts even if the setting changes later. The day after that date
 * the daily job withdraws the case, the system acting, with the reason in the history; the
 * notice stays on the record, showing what was not supplied. Pure.
 */
import type { Actor, CaseRecord } from './case';
import { supplementWorkingDays, type ServiceItem } from './catalog';
import type { WorkingCalendar } from './calendar';
import { chinaDate } from './china-time';
import { assertAllowed } from './lifecycle';

/** The last China date to supplement: the notice's own, or (a notice given before the setting existed) counted from its date. */
export function supplementDueOf(
  c: Pick<CaseRecord, 'notice'>,
  item: Pick<ServiceItem, 'supplementWorkingDays'>,
  calendar: WorkingCalendar,
): string | undefined {
  if (!c.notice) return undefined;
  return c.notice.supplementDue ?? calendar.addWorkingDays(chinaDate(c.notice.issuedAt), supplementWorkingDays(item));
}

/** Whether the case is now deemed withdrawn: still waiting on the applicant, and its last day to supplement is past (China date). */
export function isDeemedWithdrawnNow(
  c: CaseRecord,
  item: Pick<ServiceItem, 'supplementWorkingDays'>,
  calendar: WorkingCalendar,
  now: Date,
): boolean {
  if (c.status !== 'supplement-required') return false;
  const due = supplementDueOf(c, item, calendar);
  return due !== undefined && due < chinaDate(now);
}

export interface DeemCtx {
  actor: Actor;
  at: string;
  now: Date;
  item: ServiceItem;
  calendar: WorkingCalendar;
}

/** Withdrawn, by the system, for want of a supplement by the last day; the history says why. */
export function deemWithdrawn(c: CaseRecord, ctx: DeemCtx): CaseRecord {
  assertAllowed(c, 'withdraw');
  const due = supplementDueOf(c, ctx.item, ctx.calendar);
  if (c.status !== 'supplement-required' || !c.notice || !due) {
    throw new RangeError(`case ${c.caseNo} is not waiting on a supplement`);
  }
  const notice = c.notice;
  const asked = notice.missing.map((m) => m.code).join(', ');
  return {
    ...c,
    status: 'withdrawn',
    notice: { ...notice, supplementDue: due },
    pauses: c.pauses.map((p) => (p.end === undefined ? { ...p, end: ctx.at } : p)),
    version: c.version + 1,
    history: [
      ...c.history,
      {
        at: ctx.at,
        actor: ctx.actor.id,
        role: ctx.actor.role,
        action: 'deem-withdrawn',
        from: c.status,
        to: 'withdrawn',
        note: `not supplemented by ${due}, the last day to supplement of the notice of ${chinaDate(notice.issuedAt)} (still missing: ${asked}): deemed withdrawn (视为撤回)`,
      },
    ],
  };
}
