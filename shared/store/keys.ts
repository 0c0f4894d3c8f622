/**
 * Every key shape and index attribute of the main table, in one place. Personal data never
 * appears in a key: phones are matched by their keyed hash.
 */
import type { CaseRecord } from '../domain/case';
import { isOpen } from '../domain/case';
import { chinaMonth } from '../domain/china-time';
import type { Complaint } from '../domain/complaint';
import type { FollowUp } from '../domain/followup';
import { opinionOwed, type TaskRecord } from '../domain/review';

export interface Key {
  pk: string;
  sk: string;
}

export const keys = {
  case: (caseNo: string): Key => ({ pk: `CASE#${caseNo}`, sk: 'CASE' }),
  /** Per department and China date: the sequence part of case numbers. */
  /** A department's review task lives in its case's partition: one Query reads a case's tasks. */
  task: (caseNo: string, stage: number, department: string): Key => ({
    pk: `CASE#${caseNo}`,
    sk: `TASK#${String(stage).padStart(2, '0')}#${department}`,
  }),
  caseSequence: (department: string, date: string): Key => ({ pk: `SEQ#${department}#${date}`, sk: 'SEQ' }),
  /** Tries at a credential (a case's query code) in one window, with a TTL (attempt-repository.ts). */
  attempts: (subject: string, windowStart: string): Key => ({ pk: `TRIES#${subject}`, sk: windowStart }),
  /** The one-time code of a case or a phone (its keyed hash, with a TTL): one-time-code-repository.ts. */
  oneTimeCode: (subject: string): Key => ({ pk: `OTP#${subject}`, sk: 'OTP' }),
  /** Recent events of a subject (code sends to a phone) in rolling windows, with a TTL: rate-limit-repository.ts. */
  rateLog: (subject: string): Key => ({ pk: `RATE#${subject}`, sk: 'RATE' }),
  /** A client's Idempotency-Key, scoped to the operation. */
  idempotency: (scope: string, key: string): Key => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
  /** A/B post presence: one item per person of a post; a post's two are read with one Query on the pk. */
  postPresence: (post: string, person: 'a' | 'b'): Key => ({ pk: `POST#${post}`, sk: `PRESENCE#${person}` }),
  /** A/B handovers (B took a case because A was away), per department and China month: the report counts them with one Query. */
  handover: (department: string, at: string, caseNo: string): Key => ({
    pk: keys.handoverMonth(department, chinaMonth(at)),
    sk: `${at}#${caseNo}`,
  }),
  handoverMonth: (department: string, month: string): string => `HANDOVERS#${department}#${month}`,
  /** First-inquiry log (首问负责), per department and China month, by instant. */
  inquiry: (department: string, at: string, id: string): Key => ({
    pk: keys.inquiryMonth(department, chinaMonth(at)),
    sk: `${at}#${id}`,
  }),
  inquiryMonth: (department: string, month: string): string => `INQUIRIES#${department}#${month}`,
  /** An SMS the port has taken on: one item per deduplication key (e.g. completion#<caseNo>), so a key is sent at most once. */
  sms: (key: string): Key => ({ pk: `SMS#${key}`, sk: 'SMS' }),
  /** Recent sends to one number (by its keyed hash), for the per-phone send limits of a domestic SMS provider. */
  smsPhoneLimit: (phoneHash: string): Key => ({ pk: `SMSLIMIT#${phoneHash}`, sk: 'LIMIT' }),
  /** The local runtime's outbox (never in AWS): one partition, sorted by the instant sent. */
  smsOutbox: (at: string, key: string): Key => ({ pk: 'LOCAL#SMS-OUTBOX', sk: `${at}#${key}` }),
  /** An inbound SMS reply, claimed once by its message id, so a redelivery counts once. */
  inboundSms: (messageId: string): Key => ({ pk: `INBOUND#${messageId}`, sk: 'INBOUND' }),
  /** A decided case waiting for its default rating, under the China date the default applies from. */
  ratingDue: (date: string, caseNo: string): Key => ({ pk: `RATEDUE#${date}`, sk: caseNo }),
  /** A resumable job's request and progress (job-state-repository.ts): one item per job. */
  jobState: (job: string): Key => ({ pk: `JOB#${job}`, sk: 'STATE' }),
  /** The last day the default-rating job has finished. */
  ratingDueCursor: (): Key => ({ pk: 'RATEDUE#CURSOR', sk: 'CURSOR' }),
  /** A bad-rating follow-up (one per case: FU-<caseNo>). */
  followUp: (id: string): Key => ({ pk: `FOLLOWUP#${id}`, sk: 'FOLLOWUP' }),
  /** A complaint, and the per-day sequence of complaint numbers. */
  complaint: (id: string): Key => ({ pk: `COMPLAINT#${id}`, sk: 'COMPLAINT' }),
  complaintSequence: (date: string): Key => ({ pk: `SEQ-COMPLAINT#${date}`, sk: 'SEQ' }),
};

/** The worklist index's partitions of cases and review tasks: a person's own, and a department's unassigned. */
export const worklistPartitions = {
  staff: (staffId: string): string => `STAFF#${staffId}`,
  department: (department: string): string => `DEPT#${department}`,
};

/**
 * Follow-ups and complaints share the worklist index under their own partitions (never
 * STAFF#/DEPT#, so the case worklist never sees them); sparse: only while open, by due date.
 */
export const listPartitions = {
  openFollowUps: (department: string): string => `FOLLOWUPS#${department}`,
  openComplaints: (): string => 'COMPLAINTS#OPEN',
  /** The by-phone partition of a keyed phone hash (the phpk of caseIndexAttributes). */
  phone: (phoneHash: string): string => `PH#${phoneHash}`,
};

/**
 * Follow-ups and complaints are also in the by-month index, always (not sparse), under the
 * China month they were opened or received, for the reports. The partition names carry a '-',
 * which no department code has, so they never meet a department's `<dept>#<month>`.
 */
export const monthPartitions = {
  followUpsOpened: (month: string): string => `FOLLOWUP-MONTH#${month}`,
  complaintsReceived: (month: string): string => `COMPLAINT-MONTH#${month}`,
};

export function followUpIndexAttributes(f: {
  id: string;
  department: string;
  due: string;
  state: string;
  openedAt: string;
}): Record<string, string> {
  const byMonth = { bmpk: monthPartitions.followUpsOpened(chinaMonth(f.openedAt)), bmsk: f.id };
  if (f.state === 'closed' || f.state === 'voided') return byMonth;
  return { ...byMonth, wlpk: listPartitions.openFollowUps(f.department), wlsk: `${f.due}#${f.id}` };
}

export function complaintIndexAttributes(c: {
  id: string;
  due: string;
  state: string;
  receivedAt: string;
}): Record<string, string> {
  const byMonth = { bmpk: monthPartitions.complaintsReceived(chinaMonth(c.receivedAt)), bmsk: c.id };
  if (c.state === 'answered') return byMonth;
  return { ...byMonth, wlpk: listPartitions.openComplaints(), wlsk: `${c.due}#${c.id}` };
}

/** The date by which the next step of an open case is due; waiting on the applicant is never due. */
export function dueDate(c: CaseRecord): string {
  if (c.status === 'supplement-required') return NEVER;
  if (c.status === 'submitted') return c.preReviewDue ?? NEVER;
  return c.deadlines?.committed ?? NEVER;
}

export const NEVER = '9999-12-31';

/**
 * Index attributes of a review task: in the worklist and in open-by-deadline while it waits on
 * the department: open, by its due date; or deemed to agree (超时默认) and owing its written
 * opinion, by the opinion's due date (so the worklist shows it and supervision watches it).
 */
export function taskIndexAttributes(
  t: Pick<TaskRecord, 'caseNo' | 'department' | 'assignee' | 'due' | 'status' | 'decision'>,
): Record<string, string> {
  const due = t.status === 'open' ? t.due : opinionOwed(t) ? t.decision?.opinionDue : undefined;
  if (!due) return {};
  return {
    wlpk: t.assignee ? worklistPartitions.staff(t.assignee) : worklistPartitions.department(t.department),
    wlsk: `${due}#${t.caseNo}`,
    obdpk: openByDeadlinePartition(t.department),
    obdsk: `${due}#${t.caseNo}`,
  };
}

/** Index attributes of a case item; absent attributes keep the item out of a sparse index. */
export function caseIndexAttributes(c: CaseRecord): Record<string, string> {
  const attrs: Record<string, string> = {
    bmpk: `${c.department}#${chinaMonth(c.receivedAt)}`,
    bmsk: c.caseNo,
    phpk: listPartitions.phone(c.phoneHash),
    phsk: `${c.receivedAt}#${c.caseNo}`,
  };
  const due = dueDate(c);
  if (isOpen(c.status)) {
    // Sparse: only open cases, by the date something is due (pre-review or the committed deadline).
    attrs.obdpk = openByDeadlinePartition(c.department);
    attrs.obdsk = `${due}#${c.caseNo}`;
  }
  if (c.status === 'submitted' || c.status === 'accepted') {
    // The window's own work: pre-review and acceptance, then the decision of single-department items.
    attrs.wlpk = c.assignee ? worklistPartitions.staff(c.assignee) : worklistPartitions.department(c.department);
    attrs.wlsk = `${due}#${c.caseNo}`;
  }
  return attrs;
}

export const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'wlpk',
  'wlsk',
  'obdpk',
  'obdsk',
  'bmpk',
  'bmsk',
  'phpk',
  'phsk',
  'entity',
] as const;

const KEY_ATTRIBUTE_SET: ReadonlySet<string> = new Set(KEY_ATTRIBUTES);

/** The entities read back through stripKeys, by the `entity` attribute they are stored with. */
export interface StoredEntities {
  case: CaseRecord;
  task: TaskRecord;
  complaint: Complaint;
  followup: FollowUp;
}

/**
 * Removes the key and index attributes from an item, leaving the entity named (the store
 * trusts the items it wrote, so the entity is not checked again).
 */
export function stripKeys<K extends keyof StoredEntities>(
  item: Record<string, unknown>,
  _entity: K,
): StoredEntities[K] {
  return Object.fromEntries(
    Object.entries(item).filter(([k]) => !KEY_ATTRIBUTE_SET.has(k)),
  ) as unknown as StoredEntities[K];
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
  return worklistPartitions.department(department);
}

/** Index attributes of a month touch: in by-month only (never in a sparse index). */
export function monthTouchIndexAttributes(department: string, caseNo: string, month: string): Record<string, string> {
  return { bmpk: byMonthPartition(department, month), bmsk: caseNo };
}
