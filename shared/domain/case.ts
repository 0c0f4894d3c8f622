/**
 * A case (办件): its states, its record, and the words used for them across the product.
 * Pure: no I/O, no process.env.
 */
import type { Agent, Applicant } from './identity';

export const CASE_STATUSES = [
  'submitted',
  'supplement-required',
  'accepted',
  'in-review',
  'approved',
  'denied',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OPEN_STATUSES: readonly CaseStatus[] = ['submitted', 'supplement-required', 'accepted', 'in-review'];
export const DECIDED_STATUSES: readonly CaseStatus[] = ['approved', 'denied'];

export type Channel = 'online' | 'window';
export const DELIVERIES = ['pickup', 'post', 'electronic'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export type Role = 'applicant' | 'window' | 'reviewer' | 'supervisor' | 'admin' | 'system';
export const STAFF_ROLES = ['window', 'reviewer', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is acting: a staff member from a verified token, the applicant, or the system (sweeps). */
export interface Actor {
  id: string;
  role: Role;
  /** Department code for staff; absent for applicants and the system. */
  department?: string;
}

/** The applicant (person or organisation) and the agent as stored: shared/domain/identity.ts. */
export type { Agent, Applicant };

/** One step on the record, appended in the same conditional write as the transition. */
export interface HistoryEntry {
  at: string; // ISO instant with +08:00 offset
  actor: string;
  role: Role;
  action: string;
  from: CaseStatus | null;
  to: CaseStatus;
  note?: string;
}

export type PauseReason = 'supplement' | 'public-notice' | 'inspection' | 'expert-review' | 'hearing' | 'testing';

/** The clock stops while the case waits on the applicant or on a stage the law does not count (art. 45). */
export interface Pause {
  start: string; // ISO instant
  end?: string; // ISO instant; open while absent
  reason: PauseReason;
  /** The review stage it belongs to (public notice, inspection). */
  stage?: number;
}

export interface MaterialRef {
  code: string;
  name: string;
}

/** One-time notice (一次性告知): every missing or faulty material in one notice. */
export interface Notice {
  issuedAt: string;
  missing: MaterialRef[];
  problems?: { code: string; note: string }[];
  /** Where the case goes back to once everything asked for is supplied. */
  resumeTo?: CaseStatus;
  /** The last China date to supplement (the item's supplementWorkingDays after the notice); past it the case is deemed withdrawn. */
  supplementDue?: string;
}

export interface Deadlines {
  committed: string; // YYYY-MM-DD, China time
  statutory: string; // YYYY-MM-DD, China time
}

export interface Decision {
  outcome: 'approve' | 'deny';
  reason?: string;
  by: string;
  at: string;
}

export const RATING_LEVELS = [
  'very-satisfied',
  'satisfied',
  'fairly-satisfied',
  'dissatisfied',
  'very-dissatisfied',
] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export type RatingSource = 'sms' | 'online' | 'default' | 'window';

export interface Rating {
  level: RatingLevel;
  source: RatingSource;
  at: string;
  /** Voided on appeal as malicious (申诉复核): kept on the record, counted nowhere. */
  voided?: boolean;
  voidedAt?: string;
}

export interface CaseRecord {
  caseNo: string;
  itemCode: string;
  itemName: string;
  department: string;
  kind: 'instant' | 'committed' | 'joint' | 'staged';
  channel: Channel;
  delivery: Delivery;
  applicant: Applicant;
  /** The agent (经办人 / 代办人) handling the case for the applicant, when one was given: gets the SMS. */
  agent?: Agent;
  /** Keyed hash (HMAC) of the phone number that gets the SMS (smsPhone): how SMS replies find their case. */
  phoneHash: string;
  /** Keyed hash of the ID number: how a person's cases can be matched without the number in clear. */
  idHash: string;
  /** Keyed hash of the agent's document number, when the case has an agent. */
  agentIdHash?: string;
  /** The random salt of the case's query code (shared/domain/query-code.ts); the code itself is never stored. */
  queryCodeSalt?: string;
  status: CaseStatus;
  /** Incremented on every write; every transition is conditional on it. */
  version: number;
  receivedAt: string;
  acceptedAt?: string;
  decidedAt?: string;
  /** The window post that handles it (A/B post), for worklists and the per-window report. */
  post?: string;
  assignee?: string;
  materials: string[];
  notice?: Notice;
  pauses: Pause[];
  /** Pre-review must give any notice to supplement by this China date, or the case counts as accepted (art. 32). */
  preReviewDue?: string;
  deadlines?: Deadlines;
  calendarIncomplete?: boolean;
  decision?: Decision;
  rating?: Rating;
  /** Each department's decision in a multi-department review, as it arrives. */
  reviews?: import('./review').ReviewEntry[];
  history: HistoryEntry[];
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
