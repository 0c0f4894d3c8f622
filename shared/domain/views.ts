/**
 * What a case looks like to each reader. Personal data is masked in every view; the full
 * phone number is used only by the SMS port.
 */
import type { CaseRecord } from './case';
import { maskId, maskName, maskPhone } from './identity';
import type { ServiceItem } from './catalog';
import type { WorkingCalendar } from './calendar';
import { deadlinesOf } from './lifecycle';
import { isOpen } from './case';

/** Where the clock stands for a reader: the deadlines, working days left and the predicted completion. */
export interface ClockView {
  deadlines?: { committed: string; statutory: string };
  workingDaysLeft?: number;
  predictedCompletion?: string;
  calendarIncomplete?: boolean;
  paused?: boolean;
  /** While paused: why (supplement, public-notice), since when, and until when when known. */
  pause?: { reason: string; since: string; until?: string };
}

export function clockView(
  c: CaseRecord,
  item: ServiceItem | undefined,
  calendar: WorkingCalendar,
  now: Date,
): ClockView {
  if (!c.acceptedAt || !item) return {};
  const d = deadlinesOf(c, item, calendar, now);
  if (!d) return {};
  const open = isOpen(c.status);
  return {
    deadlines: { committed: d.committed, statutory: d.statutory },
    ...(open
      ? {
          workingDaysLeft: d.workingDaysLeft,
          predictedCompletion: d.predictedCompletion,
          paused: d.pauseOpen,
          ...(d.currentPause ? { pause: d.currentPause } : {}),
        }
      : {}),
    ...(d.calendarIncomplete ? { calendarIncomplete: true } : {}),
  };
}

export function maskedApplicant(c: CaseRecord) {
  return {
    name: maskName(c.applicant.name),
    idType: c.applicant.idType,
    idNumber: maskId(c.applicant.idNumber),
    phone: maskPhone(c.applicant.phone),
  };
}

/** True when `last4` are the last four digits of the case's phone number. */
export function phoneMatches(c: CaseRecord, last4: string | undefined): boolean {
  return typeof last4 === 'string' && /^\d{4}$/.test(last4) && c.applicant.phone.endsWith(last4);
}

/** The applicant's progress view (and the base of the staff view). */
export function progressView(c: CaseRecord, clock: ClockView = {}) {
  return {
    caseNo: c.caseNo,
    itemCode: c.itemCode,
    itemName: c.itemName,
    department: c.department,
    channel: c.channel,
    status: c.status,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    decidedAt: c.decidedAt,
    applicant: maskedApplicant(c),
    delivery: c.delivery,
    materials: c.materials,
    ...(c.notice ? { notice: c.notice } : {}),
    ...(c.deadlines ? { deadlines: c.deadlines } : {}),
    ...(c.calendarIncomplete ? { calendarIncomplete: true } : {}),
    ...clock,
    ...(c.decision ? { decision: { outcome: c.decision.outcome, reason: c.decision.reason, at: c.decision.at } } : {}),
    ...(c.rating
      ? { rating: { level: c.rating.level, source: c.rating.source, ...(c.rating.voided ? { voided: true } : {}) } }
      : {}),
  };
}

/** What staff of the case's department see: the progress view plus the post and the history. */
export function staffView(c: CaseRecord, clock: ClockView = {}) {
  return {
    ...progressView(c, clock),
    reviews: c.reviews ?? [],
    preReviewDue: c.preReviewDue,
    post: c.post,
    assignee: c.assignee,
    version: c.version,
    pauses: c.pauses,
  };
}
