/**
 * The bad-rating follow-up (差评核实、整改、回访) as a pure state machine.
 *
 *   open ──verify──▶ verified ──fix──────────▶ fixed ─────┬─rate-fix─▶ closed
 *                      │ ──schedule-fix─▶ fix-scheduled ─fix─▶ fixed   └─close────▶ closed
 *                      └──explain──────────────────────▶ explained ──rate-fix / close─▶ closed
 *
 *   any state before closed ──appeal──▶ appealed ──rule-appeal(void)───▶ voided
 *                                                 └─rule-appeal(upheld)─▶ the state it left
 *
 * Who may act: the staff who answer for the case (window, reviewer) and supervisors verify,
 * fix, explain and close; the applicant (or the system, for an SMS reply) rates the fix; the
 * window or reviewer staff appeal (申诉), once; only a supervisor rules on an appeal (复核),
 * so nobody judges their own appeal. A voided rating no longer counts as a bad rating.
 * The deadline (`due`) is a setting computed by the caller: Sichuan 15 working days,
 * Dezhou 5. Every transition appends one history entry and bumps `version`.
 * Pure: the instant of each action is an argument.
 */
import type { Actor, RatingLevel, Role } from './case';
import { RATING_LEVELS } from './case';
import { chinaDate, DATE_RE } from './china-time';
import { ConflictError, ForbiddenError, ValidationError, type FieldProblem } from './errors';
import { lookup } from './lookup';
import { isBadRating } from './sms-reply';

export const FOLLOW_UP_STATES = [
  'open',
  'verified',
  'fix-scheduled',
  'fixed',
  'explained',
  'closed',
  'appealed',
  'voided',
] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export type FollowUpAction =
  | { type: 'verify'; note: string }
  | { type: 'fix'; note: string }
  | { type: 'schedule-fix'; fixBy: string; note: string }
  | { type: 'explain'; note: string }
  | { type: 'rate-fix'; level: RatingLevel }
  | { type: 'close'; note: string }
  | { type: 'appeal'; reason: string }
  | { type: 'rule-appeal'; ruling: 'void' | 'upheld'; note: string };
export type FollowUpActionType = FollowUpAction['type'];

export interface FollowUpHistoryEntry {
  at: string;
  actor: string;
  role: Role;
  action: FollowUpActionType | 'open';
  from: FollowUpState | null;
  to: FollowUpState;
  note?: string;
}

export interface FollowUpAppeal {
  /** The state the follow-up was in when appealed; an upheld rating returns there. */
  from: FollowUpState;
  reason: string;
  by: string;
  at: string;
  ruling?: 'void' | 'upheld';
  ruledBy?: string;
  ruledAt?: string;
  rulingNote?: string;
}

export interface FollowUp {
  /** One rating per case, so one follow-up per case: FU-<caseNo>. */
  id: string;
  caseNo: string;
  /** The department that answers for the rating. */
  department: string;
  /** The bad rating that opened it. */
  level: RatingLevel;
  openedAt: string;
  /** Close by this China date (YYYY-MM-DD). */
  due: string;
  state: FollowUpState;
  version: number;
  verifiedAt?: string;
  /** 限期整改: the promised date. */
  fixBy?: string;
  fixedAt?: string;
  explainedAt?: string;
  /** The applicant's rating of the fix or explanation, when given. */
  fixRating?: RatingLevel;
  closedAt?: string;
  appeal?: FollowUpAppeal;
  voidedAt?: string;
  history: FollowUpHistoryEntry[];
}

export interface OpenFollowUpInput {
  caseNo: string;
  department: string;
  level: RatingLevel;
  openedAt: string;
  due: string;
}

const TRANSITIONS: Readonly<Record<FollowUpState, readonly FollowUpActionType[]>> = {
  open: ['verify', 'appeal'],
  verified: ['fix', 'schedule-fix', 'explain', 'appeal'],
  'fix-scheduled': ['fix', 'appeal'],
  fixed: ['rate-fix', 'close', 'appeal'],
  explained: ['rate-fix', 'close', 'appeal'],
  appealed: ['rule-appeal'],
  closed: [],
  voided: [],
};

const APPEAL_RULINGS: readonly NonNullable<FollowUpAppeal['ruling']>[] = ['void', 'upheld'];

const WORKERS: readonly Role[] = ['window', 'reviewer', 'supervisor'];
const ROLES: Readonly<Record<FollowUpActionType, readonly Role[]>> = {
  verify: WORKERS,
  fix: WORKERS,
  'schedule-fix': WORKERS,
  explain: WORKERS,
  close: WORKERS,
  'rate-fix': ['applicant', 'system'],
  appeal: ['window', 'reviewer'],
  'rule-appeal': ['supervisor'],
};
/** Who may take each action (the console offers only these). */
export const FOLLOW_UP_ROLES = ROLES;

/**
 * The actions the state allows. Pass the follow-up too and an appeal already ruled on is
 * taken into account (one appeal per rating).
 */
export function allowedFollowUpActions(
  state: FollowUpState,
  followUp?: Pick<FollowUp, 'appeal'>,
): readonly FollowUpActionType[] {
  const actions = lookup(TRANSITIONS, state) ?? []; // the state may be unvalidated input
  return followUp?.appeal?.ruling ? actions.filter((a) => a !== 'appeal') : actions;
}

export function followUpId(caseNo: string): string {
  return `FU-${caseNo}`;
}

function isInstant(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && !Number.isNaN(Date.parse(s));
}

function isText(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

/** Opens the follow-up of a bad rating (不满意 or 非常不满意). */
export function openFollowUp(input: OpenFollowUpInput): FollowUp {
  const problems: FieldProblem[] = [];
  if (!isText(input.caseNo)) problems.push({ field: 'caseNo', message: 'is required' });
  if (!isText(input.department)) problems.push({ field: 'department', message: 'is required' });
  if (!RATING_LEVELS.includes(input.level)) {
    problems.push({ field: 'level', message: `must be one of ${RATING_LEVELS.join(', ')}` });
  } else if (!isBadRating(input.level)) {
    problems.push({ field: 'level', message: 'only a bad rating (dissatisfied, very-dissatisfied) is followed up' });
  }
  if (!isInstant(input.openedAt)) problems.push({ field: 'openedAt', message: 'must be an ISO instant' });
  if (typeof input.due !== 'string' || !DATE_RE.test(input.due)) {
    problems.push({ field: 'due', message: 'must be a date, YYYY-MM-DD' });
  } else if (isInstant(input.openedAt) && input.due < chinaDate(input.openedAt)) {
    problems.push({ field: 'due', message: 'must not be before the day the follow-up opens' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    id: followUpId(input.caseNo),
    caseNo: input.caseNo,
    department: input.department,
    level: input.level,
    openedAt: input.openedAt,
    due: input.due,
    state: 'open',
    version: 1,
    history: [{ at: input.openedAt, actor: 'system', role: 'system', action: 'open', from: null, to: 'open' }],
  };
}

/**
 * Applies one action and returns the new follow-up; the argument is not changed.
 * Throws ForbiddenError when the actor's role may not take the action, ConflictError when the
 * state does not allow it (naming the state and what it allows), ValidationError for a
 * missing note or a bad date.
 */
export function applyFollowUpAction(f: FollowUp, action: FollowUpAction, actor: Actor, at: string): FollowUp {
  const roles = lookup(ROLES, action.type); // the type may be unvalidated input
  if (!roles) throw new ValidationError([{ field: 'type', message: `unknown action ${action.type}` }]);
  if (!roles.includes(actor.role)) {
    const who = action.type === 'rule-appeal' ? 'a supervisor' : roles.join(' or ');
    throw new ForbiddenError(`only ${who} may ${action.type} a bad-rating follow-up; you act as ${actor.role}`);
  }

  const allowed = allowedFollowUpActions(f.state, f);
  if (!allowed.includes(action.type)) {
    const why =
      action.type === 'appeal' && f.appeal?.ruling
        ? `an appeal was already ruled ${f.appeal.ruling} on ${f.appeal.ruledAt}`
        : `it is ${f.state}`;
    throw new ConflictError(
      `follow-up ${f.id} cannot take ${action.type}: ${why}; allowed now: ${allowed.length ? allowed.join(', ') : 'nothing (finished)'}`,
      { state: f.state, allowed: [...allowed] },
    );
  }

  if (!isInstant(at)) throw new ValidationError([{ field: 'at', message: 'must be an ISO instant' }]);

  const step = (to: FollowUpState, changes: Partial<FollowUp>, note?: string): FollowUp => ({
    ...f,
    ...changes,
    state: to,
    version: f.version + 1,
    history: [
      ...f.history,
      {
        at,
        actor: actor.id,
        role: actor.role,
        action: action.type,
        from: f.state,
        to,
        ...(note !== undefined && { note }),
      },
    ],
  });
  const requireText = (field: string, value: unknown): string => {
    if (!isText(value)) throw new ValidationError([{ field, message: 'is required: say what was done' }]);
    return value.trim();
  };

  switch (action.type) {
    case 'verify':
      return step('verified', { verifiedAt: at }, requireText('note', action.note));
    case 'fix':
      return step('fixed', { fixedAt: at }, requireText('note', action.note));
    case 'schedule-fix': {
      const note = requireText('note', action.note);
      if (typeof action.fixBy !== 'string' || !DATE_RE.test(action.fixBy)) {
        throw new ValidationError([{ field: 'fixBy', message: 'must be a date, YYYY-MM-DD' }]);
      }
      if (action.fixBy < chinaDate(at)) {
        throw new ValidationError([{ field: 'fixBy', message: `must not be before today (${chinaDate(at)})` }]);
      }
      return step('fix-scheduled', { fixBy: action.fixBy }, `${note} (fix by ${action.fixBy})`);
    }
    case 'explain':
      return step('explained', { explainedAt: at }, requireText('note', action.note));
    case 'rate-fix':
      if (!RATING_LEVELS.includes(action.level)) {
        throw new ValidationError([{ field: 'level', message: `must be one of ${RATING_LEVELS.join(', ')}` }]);
      }
      return step('closed', { fixRating: action.level, closedAt: at }, `rated the fix ${action.level}`);
    case 'close':
      return step('closed', { closedAt: at }, requireText('note', action.note));
    case 'appeal': {
      const reason = requireText('reason', action.reason);
      return step('appealed', { appeal: { from: f.state, reason, by: actor.id, at } }, reason);
    }
    case 'rule-appeal': {
      const note = requireText('note', action.note);
      if (!APPEAL_RULINGS.includes(action.ruling)) {
        throw new ValidationError([{ field: 'ruling', message: 'must be void or upheld' }]);
      }
      const appeal = f.appeal as FollowUpAppeal;
      const ruled: FollowUpAppeal = {
        ...appeal,
        ruling: action.ruling,
        ruledBy: actor.id,
        ruledAt: at,
        rulingNote: note,
      };
      return action.ruling === 'void'
        ? step('voided', { appeal: ruled, voidedAt: at }, note)
        : step(appeal.from, { appeal: ruled }, note);
    }
  }
}

/** Closed on or before its due date, in China time. */
export function isClosedOnTime(f: FollowUp): boolean {
  return f.state === 'closed' && f.closedAt !== undefined && chinaDate(f.closedAt) <= f.due;
}

/** A rating voided on appeal no longer counts as a bad rating, nor in the rectification rate. */
export function countsAsBadRating(f: FollowUp): boolean {
  return f.state !== 'voided';
}
