/**
 * Complaints (投诉): online, by phone or from the mailbox; each is handled by the hall itself,
 * transferred to a department, or handled by a department under supervision
 * (自办 / 转办 / 督办), and every one gets an answer within its time limit (件件有回音).
 *
 *   received ──handle────▶ handling ───┐
 *            ──transfer──▶ transferred ─┼─answer─▶ answered
 *            ──supervise─▶ supervised ──┘
 *   transferred ──supervise──▶ supervised   (escalation when a transferred complaint stalls)
 *
 * Who may act: supervisors (the hall's complaint office) route and may always answer; once a
 * complaint is transferred or supervised, staff of that department may answer it too.
 * Every transition appends one history entry and bumps `version`. Pure.
 */
import type { Actor, Role } from './case';
import { chinaDate, DATE_RE } from './china-time';
import { ConflictError, ForbiddenError, ValidationError, type FieldProblem } from './errors';
import { lookup } from './lookup';

export const COMPLAINT_CHANNELS = ['online', 'phone', 'mailbox'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_STATES = ['received', 'handling', 'transferred', 'supervised', 'answered'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export type ComplaintAction =
  | { type: 'handle'; note?: string }
  | { type: 'transfer'; department: string; note?: string }
  | { type: 'supervise'; department: string; note?: string }
  | { type: 'answer'; answer: string };
export type ComplaintActionType = ComplaintAction['type'];

export interface ComplaintHistoryEntry {
  at: string;
  actor: string;
  role: Role;
  action: ComplaintActionType | 'receive';
  from: ComplaintState | null;
  to: ComplaintState;
  note?: string;
}

export interface Complaint {
  id: string;
  channel: ComplaintChannel;
  /** The complainant's name and phone: personal data, masked in every view but their own. */
  who: string;
  contact: string;
  caseNo?: string;
  /** The department complained about, when known. */
  department?: string;
  text: string;
  receivedAt: string;
  /** Answer by this China date (YYYY-MM-DD). */
  due: string;
  state: ComplaintState;
  version: number;
  /** The department that handles it after 转办 or 督办. */
  handlingDepartment?: string;
  answer?: string;
  answeredAt?: string;
  history: ComplaintHistoryEntry[];
}

export type OpenComplaintInput = Pick<
  Complaint,
  'id' | 'channel' | 'who' | 'contact' | 'caseNo' | 'department' | 'text' | 'receivedAt' | 'due'
>;

const TRANSITIONS: Readonly<Record<ComplaintState, readonly ComplaintActionType[]>> = {
  received: ['handle', 'transfer', 'supervise'],
  handling: ['answer'],
  transferred: ['supervise', 'answer'],
  supervised: ['answer'],
  answered: [],
};

export function allowedComplaintActions(state: ComplaintState): readonly ComplaintActionType[] {
  return lookup(TRANSITIONS, state) ?? []; // the state may be unvalidated input
}

const TARGET: Readonly<Record<Exclude<ComplaintActionType, 'answer'>, ComplaintState>> = {
  handle: 'handling',
  transfer: 'transferred',
  supervise: 'supervised',
};

/** A phone number as people write it: mobile or landline, digits with optional +, dashes, spaces. */
const PHONE_RE = /^\+?[0-9][0-9\- ]{5,18}[0-9]$/;

function isText(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

function isInstant(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && !Number.isNaN(Date.parse(s));
}

/**
 * Registers a complaint. `actor` is who registered it (window staff for a phone call or the
 * mailbox); an online complaint arrives through the system.
 */
export function openComplaint(input: OpenComplaintInput, actor: Actor = { id: 'system', role: 'system' }): Complaint {
  const problems: FieldProblem[] = [];
  if (!isText(input.id)) problems.push({ field: 'id', message: 'is required' });
  if (!COMPLAINT_CHANNELS.includes(input.channel)) {
    problems.push({ field: 'channel', message: `must be one of ${COMPLAINT_CHANNELS.join(', ')}` });
  }
  if (!isText(input.who)) problems.push({ field: 'who', message: 'is required: every complaint gets an answer' });
  if (typeof input.contact !== 'string' || !PHONE_RE.test(input.contact.trim())) {
    problems.push({ field: 'contact', message: 'must be a phone number, to send the answer to' });
  }
  if (!isText(input.text)) problems.push({ field: 'text', message: 'is required: what is the complaint about?' });
  if (!isInstant(input.receivedAt)) problems.push({ field: 'receivedAt', message: 'must be an ISO instant' });
  if (typeof input.due !== 'string' || !DATE_RE.test(input.due)) {
    problems.push({ field: 'due', message: 'must be a date, YYYY-MM-DD' });
  } else if (isInstant(input.receivedAt) && input.due < chinaDate(input.receivedAt)) {
    problems.push({ field: 'due', message: 'must not be before the day the complaint was received' });
  }
  if (problems.length > 0) throw new ValidationError(problems);

  return {
    id: input.id.trim(),
    channel: input.channel,
    who: input.who.trim(),
    contact: input.contact.trim(),
    ...(isText(input.caseNo) && { caseNo: input.caseNo.trim() }),
    ...(isText(input.department) && { department: input.department.trim() }),
    text: input.text.trim(),
    receivedAt: input.receivedAt,
    due: input.due,
    state: 'received',
    version: 1,
    history: [
      {
        at: input.receivedAt,
        actor: actor.id,
        role: actor.role,
        action: 'receive',
        from: null,
        to: 'received',
        note: input.channel,
      },
    ],
  };
}

/** May this actor answer the complaint in its current state? */
function mayAnswer(c: Complaint, actor: Actor): boolean {
  if (actor.role === 'supervisor') return true;
  if (c.state === 'handling') return false;
  return (
    (actor.role === 'window' || actor.role === 'reviewer') &&
    actor.department !== undefined &&
    actor.department === c.handlingDepartment
  );
}

/**
 * Applies one action and returns the new complaint; the argument is not changed.
 * ForbiddenError when the actor may not take it, ConflictError when the state does not allow
 * it (naming the state and what it allows), ValidationError for a missing field.
 */
export function applyComplaintAction(c: Complaint, action: ComplaintAction, actor: Actor, at: string): Complaint {
  if (!['handle', 'transfer', 'supervise', 'answer'].includes(action.type)) {
    throw new ValidationError([{ field: 'type', message: `unknown action ${action.type}` }]);
  }
  if (action.type !== 'answer' && actor.role !== 'supervisor') {
    throw new ForbiddenError(`only a supervisor may ${action.type} a complaint; you act as ${actor.role}`);
  }

  const allowed = allowedComplaintActions(c.state);
  if (!allowed.includes(action.type)) {
    throw new ConflictError(
      `complaint ${c.id} cannot take ${action.type}: it is ${c.state}; allowed now: ${allowed.length ? allowed.join(', ') : 'nothing (answered)'}`,
      { state: c.state, allowed: [...allowed] },
    );
  }

  if (action.type === 'answer' && !mayAnswer(c, actor)) {
    throw new ForbiddenError(
      c.state === 'handling'
        ? 'the hall handles this complaint itself (自办): only a supervisor may answer it'
        : `only a supervisor or staff of ${c.handlingDepartment} may answer this complaint`,
    );
  }
  if (!isInstant(at)) throw new ValidationError([{ field: 'at', message: 'must be an ISO instant' }]);

  const step = (to: ComplaintState, changes: Partial<Complaint>, note?: string): Complaint => ({
    ...c,
    ...changes,
    state: to,
    version: c.version + 1,
    history: [
      ...c.history,
      {
        at,
        actor: actor.id,
        role: actor.role,
        action: action.type,
        from: c.state,
        to,
        ...(note !== undefined && { note }),
      },
    ],
  });

  switch (action.type) {
    case 'handle':
      return step(TARGET.handle, {}, isText(action.note) ? action.note.trim() : undefined);
    case 'transfer':
    case 'supervise': {
      if (!isText(action.department)) {
        throw new ValidationError([
          {
            field: 'department',
            message: `is required: which department is to ${action.type === 'transfer' ? 'handle' : 'be supervised on'} it?`,
          },
        ]);
      }
      const department = action.department.trim();
      const note = isText(action.note) ? `${department}: ${action.note.trim()}` : department;
      return step(TARGET[action.type], { handlingDepartment: department }, note);
    }
    case 'answer': {
      if (!isText(action.answer)) {
        throw new ValidationError([{ field: 'answer', message: 'is required: every complaint gets an answer' }]);
      }
      return step('answered', { answer: action.answer.trim(), answeredAt: at });
    }
  }
}

/** Answered on or before its due date, in China time. */
export function isAnsweredOnTime(c: Complaint): boolean {
  return c.state === 'answered' && c.answeredAt !== undefined && chinaDate(c.answeredAt) <= c.due;
}
