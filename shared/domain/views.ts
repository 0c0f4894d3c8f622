/**
 * What a case looks like to each reader. Personal data is masked in every view: the applicant's
 * and agent's structured fields, and phone and ID numbers inside free text (notes, reasons,
 * opinions: maskFreeText); the full phone number is used only by the SMS port.
 */
import type { Agent, CaseRecord, Decision, Notice } from './case';
import { isOrganisationIdType, maskFreeText, maskId, maskName, maskOptionalText, maskPhone } from './identity';
import type { ReviewEntry } from './review';
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

/**
 * An organisation's registered name is public (企业信息公示) and stays readable, except an
 * individual business's (个体工商户, a code beginning 92), which is often its owner's own name.
 */
function organisationNamePublic(a: CaseRecord['applicant']): boolean {
  return isOrganisationIdType(a.idType) && !a.idNumber.startsWith('92');
}

/** The applicant as every view shows them: name, document number and phone masked, whatever the type. */
export function maskedApplicant(c: Pick<CaseRecord, 'applicant'>) {
  const a = c.applicant;
  return {
    name: organisationNamePublic(a) ? a.name : maskName(a.name),
    idType: a.idType,
    idNumber: maskId(a.idNumber),
    phone: maskPhone(a.phone),
    ...(a.legalRepresentative !== undefined ? { legalRepresentative: maskName(a.legalRepresentative) } : {}),
  };
}

/** The agent (经办人) as every view shows them, masked like an applicant. */
export function maskedAgent(agent: Agent) {
  return {
    name: maskName(agent.name),
    idType: agent.idType,
    idNumber: maskId(agent.idNumber),
    phone: maskPhone(agent.phone),
  };
}

/** A one-time notice as every view shows it: the problems' notes with phone and ID numbers masked. */
export function maskedNotice(n: Notice): Notice {
  return n.problems ? { ...n, problems: n.problems.map((p) => ({ ...p, note: maskFreeText(p.note) })) } : n;
}

/** A review as every view shows it: its opinion and reason masked (maskFreeText). */
export function maskedReview(r: ReviewEntry): ReviewEntry {
  return {
    ...r,
    ...(r.opinion !== undefined ? { opinion: maskFreeText(r.opinion) } : {}),
    ...(r.reason !== undefined ? { reason: maskFreeText(r.reason) } : {}),
  };
}

/** A decision as every view shows it: the reason masked. */
export function maskedDecision(d: Pick<Decision, 'outcome' | 'reason' | 'at'>) {
  return { outcome: d.outcome, reason: maskOptionalText(d.reason), at: d.at };
}

/** A case's (or a complaint's) history as staff see it: each note masked. */
export function maskedHistory<E extends { note?: string }>(entries: readonly E[]): E[] {
  return entries.map((e) => (e.note !== undefined ? { ...e, note: maskFreeText(e.note) } : e));
}

/**
 * Free text written by people (complaint text, answers, notes, inquiry matter, denial reasons)
 * as every view shows it: `fields` of `value` masked by maskFreeText, the rest unchanged.
 */
export function maskedText<T extends object>(value: T, fields: readonly (keyof T)[]): T {
  const out = { ...value };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string') out[f] = maskFreeText(v) as T[keyof T];
  }
  return out;
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
    ...(c.agent ? { agent: maskedAgent(c.agent) } : {}),
    delivery: c.delivery,
    materials: c.materials,
    ...(c.notice ? { notice: maskedNotice(c.notice) } : {}),
    ...(c.deadlines ? { deadlines: c.deadlines } : {}),
    ...(c.calendarIncomplete ? { calendarIncomplete: true } : {}),
    ...clock,
    ...(c.decision ? { decision: maskedDecision(c.decision) } : {}),
    ...(c.rating
      ? { rating: { level: c.rating.level, source: c.rating.source, ...(c.rating.voided ? { voided: true } : {}) } }
      : {}),
  };
}

/** What staff of the case's department see: the progress view plus the post and the history. */
export function staffView(c: CaseRecord, clock: ClockView = {}) {
  return {
    ...progressView(c, clock),
    reviews: (c.reviews ?? []).map(maskedReview),
    preReviewDue: c.preReviewDue,
    post: c.post,
    assignee: c.assignee,
    version: c.version,
    pauses: c.pauses,
  };
}

/** A filed denial (否决报备) as the supervisors see it: its reasons masked (maskFreeText). */
export function maskedDenial<D extends { reason: string; reasons?: { department: string; reason: string }[] }>(
  d: D,
): D {
  return {
    ...d,
    reason: maskFreeText(d.reason),
    ...(d.reasons ? { reasons: d.reasons.map((r) => ({ ...r, reason: maskFreeText(r.reason) })) } : {}),
  };
}
