/**
 * The life of a case at the window (pure): pre-review, acceptance (受理), return with a
 * one-time notice and supplement (补正), same-day completion of instant items, decision of
 * single-department items, withdrawal, and the art. 32 deemed acceptance. Each action is
 * allowed only from some statuses; the answer to any other is a ConflictError that says
 * the current status and what is allowed. Each transition appends to the history.
 */
import type { Actor, CaseRecord, CaseStatus, HistoryEntry, MaterialRef, Pause, PauseReason } from './case';
import type { ServiceItem } from './catalog';
import { checkCompleteness, supplementWorkingDays } from './catalog';
import type { WorkingCalendar } from './calendar';
import { addDays, chinaDate, startOfChinaDay, toChinaIso } from './china-time';
import {
  ART32_NOTICE_WORKING_DAYS,
  art32DeemedAcceptance,
  computeDeadlines,
  type ComputedDeadlines,
} from './deadlines';
import { ConflictError, ForbiddenError, ValidationError } from './errors';
import { assertMayReturnAgain, assertMaySupplementAgain, MAX_PROBLEMS } from './case-limits';

export type CaseAction =
  'accept' | 'return' | 'supplement' | 'complete' | 'decide' | 'withdraw' | 'deem-accepted' | 'start-review';

/** Which action is allowed from which status. Everything else is a 409. */
export const ALLOWED_FROM: Record<CaseAction, readonly CaseStatus[]> = {
  accept: ['submitted'],
  return: ['submitted', 'accepted', 'in-review'],
  supplement: ['supplement-required'],
  complete: ['submitted'],
  decide: ['accepted'],
  withdraw: ['submitted', 'supplement-required', 'accepted', 'in-review'],
  'deem-accepted': ['submitted'],
  'start-review': ['accepted'],
};

export function allowedActions(status: CaseStatus): CaseAction[] {
  return (Object.keys(ALLOWED_FROM) as CaseAction[]).filter(
    (a) => ALLOWED_FROM[a].includes(status) && a !== 'deem-accepted' && a !== 'start-review',
  );
}

export function assertAllowed(c: CaseRecord, action: CaseAction): void {
  if (!ALLOWED_FROM[action].includes(c.status)) {
    const allowed = allowedActions(c.status);
    throw new ConflictError(
      `case ${c.caseNo} is ${c.status}: "${action}" is not allowed now${allowed.length ? `; allowed: ${allowed.join(', ')}` : '; no further action is allowed'}`,
      { caseNo: c.caseNo, currentStatus: c.status, allowed },
    );
  }
}

/** Window staff and reviewers act only on cases of their own department. */
export function assertSameDepartment(c: CaseRecord, actor: Actor): void {
  if (actor.department !== c.department) {
    throw new ForbiddenError(
      `case ${c.caseNo} belongs to department ${c.department}; your token is for ${actor.department}`,
    );
  }
}

function step(c: CaseRecord, actor: Actor, at: string, action: string, to: CaseStatus, note?: string): HistoryEntry {
  return { at, actor: actor.id, role: actor.role, action, from: c.status, to, ...(note ? { note } : {}) };
}

function closeOpenPauses(pauses: Pause[], at: string, reason?: PauseReason): Pause[] {
  return pauses.map((p) => (p.end === undefined && (!reason || p.reason === reason) ? { ...p, end: at } : p));
}

/** The deadlines of an accepted case, on the current calendar. */
export function deadlinesOf(
  c: CaseRecord,
  item: ServiceItem,
  calendar: WorkingCalendar,
  now: Date,
): ComputedDeadlines | undefined {
  if (!c.acceptedAt) return undefined;
  return computeDeadlines({
    acceptedAt: c.acceptedAt,
    committedLimit: item.committedLimit,
    statutoryLimit: item.statutoryLimit,
    // Pauses before acceptance (pre-review supplements) do not count: the clock has not started.
    pauses: c.pauses,
    calendar,
    now,
  });
}

function withDeadlines(c: CaseRecord, item: ServiceItem, calendar: WorkingCalendar, now: Date): CaseRecord {
  const d = deadlinesOf(c, item, calendar, now);
  if (!d) return c;
  return {
    ...c,
    deadlines: { committed: d.committed, statutory: d.statutory },
    calendarIncomplete: d.calendarIncomplete || undefined,
  };
}

export interface Ctx {
  actor: Actor;
  at: string; // ISO instant, +08:00
  now: Date;
  item: ServiceItem;
  calendar: WorkingCalendar;
}

function next(c: CaseRecord, changes: Partial<CaseRecord>, entry: HistoryEntry): CaseRecord {
  return { ...c, ...changes, version: c.version + 1, history: [...c.history, entry] };
}

/** Accepted (受理): the clock starts; the receipt carries the deadlines. */
export function accept(c: CaseRecord, ctx: Ctx): CaseRecord {
  assertAllowed(c, 'accept');
  // Joint and staged items go straight to their departments' review (the state machine).
  const to: CaseStatus = ctx.item.kind === 'joint' || ctx.item.kind === 'staged' ? 'in-review' : 'accepted';
  const accepted = next(c, { status: to, acceptedAt: ctx.at }, step(c, ctx.actor, ctx.at, 'accept', to));
  return withDeadlines(accepted, ctx.item, ctx.calendar, ctx.now);
}

/**
 * Art. 32: no notice to supplement within 5 working days of receipt, so the case counts as
 * accepted from the day it was received. Done by the system.
 */
export function deemAccepted(c: CaseRecord, ctx: Ctx): CaseRecord {
  assertAllowed(c, 'deem-accepted');
  // As accept: joint and staged items go straight to their departments' review.
  const to: CaseStatus = ctx.item.kind === 'joint' || ctx.item.kind === 'staged' ? 'in-review' : 'accepted';
  const accepted = next(
    c,
    { status: to, acceptedAt: c.receivedAt },
    step(
      c,
      ctx.actor,
      ctx.at,
      'deem-accepted',
      to,
      'no notice to supplement within 5 working days of receipt: accepted from the day it was received (Administrative Licensing Law art. 32)',
    ),
  );
  return withDeadlines(accepted, ctx.item, ctx.calendar, ctx.now);
}

/**
 * When the first notice to supplement was given: at intake (materials missing on receipt) or
 * by a return. Read from the history, because a complete supplement clears `notice`.
 */
export function firstNoticeAt(c: CaseRecord): string | undefined {
  return c.history.find((e) => e.to === 'supplement-required')?.at;
}

/** Whether art. 32 now deems the case accepted: still submitted, and no notice within 5 working days of receipt. */
export function isDeemedAcceptedNow(c: CaseRecord, calendar: WorkingCalendar, now: Date): boolean {
  if (c.status !== 'submitted') return false;
  return art32DeemedAcceptance({ receivedAt: c.receivedAt, noticeIssuedAt: firstNoticeAt(c), now, calendar }).deemed;
}

/** Recomputes the art. 32 pre-review due date of a submitted case (after a calendar change); records it when it moved. */
export function recomputePreReviewDue(c: CaseRecord, ctx: Ctx, why: string): CaseRecord | undefined {
  if (c.status !== 'submitted' || !c.preReviewDue) return undefined;
  const due = ctx.calendar.addWorkingDays(chinaDate(c.receivedAt), ART32_NOTICE_WORKING_DAYS);
  if (due === c.preReviewDue) return undefined;
  return {
    ...c,
    preReviewDue: due,
    version: c.version + 1,
    history: [
      ...c.history,
      {
        at: ctx.at,
        actor: ctx.actor.id,
        role: ctx.actor.role,
        action: 'recompute-deadlines',
        from: c.status,
        to: c.status,
        note: `${why}: pre-review due ${c.preReviewDue} → ${due}`,
      },
    ],
  };
}

/**
 * Return with a one-time notice listing every problem; the clock pauses until the applicant
 * supplements. The problems are stored once, on the notice; the history line names their
 * material codes (shared/domain/case-limits.ts bounds how many returns and problems there are).
 */
export function returnForSupplement(c: CaseRecord, problems: { code: string; note: string }[], ctx: Ctx): CaseRecord {
  assertAllowed(c, 'return');
  if (problems.length === 0)
    throw new ValidationError([{ field: 'problems', message: 'must list at least one problem' }]);
  if (problems.length > MAX_PROBLEMS)
    throw new ValidationError([{ field: 'problems', message: `must list at most ${MAX_PROBLEMS} problems` }]);
  assertMayReturnAgain(c);
  const known = new Map(ctx.item.materials.map((m) => [m.code, m.name]));
  const bad = problems.map((p, i) => ({ p, i })).filter(({ p }) => !known.has(p.code));
  if (bad.length) {
    throw new ValidationError(
      bad.map(({ p, i }) => ({
        field: `problems[${i}].code`,
        message: `"${p.code}" is not a material of item ${ctx.item.code}`,
      })),
    );
  }
  const missing: MaterialRef[] = problems.map((p) => ({ code: p.code, name: known.get(p.code) ?? p.code }));
  return next(
    c,
    {
      status: 'supplement-required',
      notice: {
        issuedAt: ctx.at,
        missing,
        problems,
        resumeTo: c.status,
        supplementDue: ctx.calendar.addWorkingDays(chinaDate(ctx.now), supplementWorkingDays(ctx.item)),
      },
      pauses: [...c.pauses, { start: ctx.at, reason: 'supplement' }],
    },
    step(c, ctx.actor, ctx.at, 'return', 'supplement-required', returnNote(problems)),
  );
}

/** The history line of a return: how many problems, on which materials (their text is on the notice). */
function returnNote(problems: { code: string }[]): string {
  const codes = [...new Set(problems.map((p) => p.code))];
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in the notice: ${codes.join(', ')}`;
}

/**
 * The applicant supplements. If everything asked for is now there, the case goes back to
 * where it was (pre-review or review) and the pause ends; otherwise a new one-time notice
 * lists everything still missing.
 */
export function supplement(c: CaseRecord, materials: string[], ctx: Ctx): CaseRecord {
  assertAllowed(c, 'supplement');
  const unknown = materials
    .map((code, i) => ({ code, i }))
    .filter(({ code }) => !ctx.item.materials.some((m) => m.code === code));
  if (unknown.length) {
    throw new ValidationError(
      unknown.map(({ code, i }) => ({
        field: `materials[${i}]`,
        message: `"${code}" is not a material of item ${ctx.item.code}`,
      })),
    );
  }
  const supplied = [...new Set([...c.materials, ...materials])];
  // A material returned as faulty must be supplied again now; a missing one, at any time.
  const returned = new Set((c.notice?.problems ?? []).map((p) => p.code));
  const missingAsked = (c.notice?.missing ?? []).filter((m) =>
    returned.has(m.code) ? !materials.includes(m.code) : !supplied.includes(m.code),
  );
  const stillMissing = [
    ...missingAsked,
    ...checkCompleteness(ctx.item, supplied).filter((m) => !missingAsked.some((a) => a.code === m.code)),
  ];
  if (stillMissing.length > 0 && c.notice) {
    assertMaySupplementAgain(c);
    return next(
      c,
      { materials: supplied, notice: { ...c.notice, issuedAt: ctx.at, missing: stillMissing } },
      step(
        c,
        ctx.actor,
        ctx.at,
        'supplement',
        'supplement-required',
        `still missing: ${stillMissing.map((m) => m.code).join(', ')}`,
      ),
    );
  }
  const resumeTo: CaseStatus =
    c.notice?.resumeTo === 'accepted' ? 'accepted' : c.notice?.resumeTo === 'in-review' ? 'in-review' : 'submitted';
  const resumed = next(
    c,
    {
      status: resumeTo,
      materials: supplied,
      notice: undefined,
      pauses: closeOpenPauses(c.pauses, ctx.at, 'supplement'),
    },
    step(c, ctx.actor, ctx.at, 'supplement', resumeTo, `supplied: ${materials.join(', ')}`),
  );
  return withDeadlines(resumed, ctx.item, ctx.calendar, ctx.now);
}

/** Instant items (即办件): accepted and completed at the window the same day. */
export function completeInstant(c: CaseRecord, ctx: Ctx): CaseRecord {
  assertAllowed(c, 'complete');
  if (ctx.item.kind !== 'instant') {
    throw new ConflictError(`item ${ctx.item.code} is ${ctx.item.kind}, not instant: accept it and decide it instead`, {
      caseNo: c.caseNo,
      currentStatus: c.status,
      allowed: allowedActions(c.status).filter((a) => a !== 'complete'),
    });
  }
  const done = next(
    c,
    {
      status: 'approved',
      acceptedAt: ctx.at,
      decidedAt: ctx.at,
      decision: { outcome: 'approve', by: ctx.actor.id, at: ctx.at },
    },
    step(c, ctx.actor, ctx.at, 'complete', 'approved', 'accepted and completed at the window the same day'),
  );
  return withDeadlines(done, ctx.item, ctx.calendar, ctx.now);
}

/** A decision on a single-department item: approve, or deny with a reason. */
export function decide(
  c: CaseRecord,
  decision: { decision: 'approve' | 'deny'; reason?: string },
  ctx: Ctx,
): CaseRecord {
  assertAllowed(c, 'decide');
  if (ctx.item.kind === 'joint' || ctx.item.kind === 'staged') {
    throw new ConflictError(
      `item ${ctx.item.code} is ${ctx.item.kind}: its departments decide through their review tasks`,
      {
        caseNo: c.caseNo,
        currentStatus: c.status,
        allowed: allowedActions(c.status).filter((a) => a !== 'decide'),
      },
    );
  }
  const reason = decision.reason?.trim();
  if (decision.decision === 'deny' && !reason) {
    throw new ValidationError([
      {
        field: 'reason',
        message: 'a denial (不予许可) needs the reason, which the applicant and the supervisors will read',
      },
    ]);
  }
  const to: CaseStatus = decision.decision === 'approve' ? 'approved' : 'denied';
  return next(
    c,
    { status: to, decidedAt: ctx.at, decision: { outcome: decision.decision, reason, by: ctx.actor.id, at: ctx.at } },
    step(c, ctx.actor, ctx.at, 'decide', to, reason),
  );
}

/** The applicant withdraws before a decision. */
export function withdraw(c: CaseRecord, ctx: Ctx, note?: string): CaseRecord {
  assertAllowed(c, 'withdraw');
  return next(
    c,
    { status: 'withdrawn', notice: undefined, pauses: closeOpenPauses(c.pauses, ctx.at) },
    step(c, ctx.actor, ctx.at, 'withdraw', 'withdrawn', note),
  );
}

/**
 * A public notice (公示) of a staged item's stage: `days` from the day it starts, ending at the
 * start of the following day, in China time; working days when the stage says so. The notice
 * does not count against the limit (art. 45): it is a pause with a known end, and the stored
 * deadlines move in the same write, so review tasks, supervision, timeouts and reports all see
 * the deadline the applicant sees. Idempotent: a notice already recorded for the stage is kept.
 */
export function startPublicNotice(c: CaseRecord, stageIndex: number, days: number, ctx: Ctx): CaseRecord {
  const existing = c.pauses.find((x) => x.reason === 'public-notice' && x.stage === stageIndex);
  if (existing) return c;
  const stage = ctx.item.stages.at(stageIndex);
  const today = chinaDate(ctx.now);
  const lastDay =
    stage?.kind === 'public-notice' && stage.unit === 'working-days'
      ? ctx.calendar.addWorkingDays(today, days)
      : addDays(today, days);
  const until = toChinaIso(startOfChinaDay(addDays(lastDay, 1)));
  const noticed = next(
    c,
    { pauses: [...c.pauses, { start: ctx.at, end: until, reason: 'public-notice', stage: stageIndex }] },
    step(
      c,
      ctx.actor,
      ctx.at,
      'public-notice',
      c.status,
      `public notice (公示) of ${days} days until ${until}; not counted against the limit`,
    ),
  );
  return withDeadlines(noticed, ctx.item, ctx.calendar, ctx.now);
}

/** When the public notice of a stage ends (see startPublicNotice). */
export function publicNoticeEnd(c: CaseRecord, stageIndex: number): string | undefined {
  return c.pauses.find((x) => x.reason === 'public-notice' && x.stage === stageIndex)?.end;
}

/** Recomputes the stored deadlines (after a calendar change); records the change when they moved. */
export function recomputeDeadlines(c: CaseRecord, ctx: Ctx, why: string): CaseRecord | undefined {
  const d = deadlinesOf(c, ctx.item, ctx.calendar, ctx.now);
  if (!d) return undefined;
  const incomplete = d.calendarIncomplete || undefined;
  if (
    c.deadlines?.committed === d.committed &&
    c.deadlines.statutory === d.statutory &&
    c.calendarIncomplete === incomplete
  )
    return undefined;
  const note = `${why}: committed ${c.deadlines?.committed ?? '-'} → ${d.committed}, statutory ${c.deadlines?.statutory ?? '-'} → ${d.statutory}`;
  return {
    ...c,
    deadlines: { committed: d.committed, statutory: d.statutory },
    calendarIncomplete: incomplete,
    version: c.version + 1,
    history: [
      ...c.history,
      {
        at: ctx.at,
        actor: ctx.actor.id,
        role: ctx.actor.role,
        action: 'recompute-deadlines',
        from: c.status,
        to: c.status,
        note,
      },
    ],
  };
}
