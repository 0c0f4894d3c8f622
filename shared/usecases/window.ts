/**
 * What window staff and department reviewers do to a case, each action with every step it
 * needs: accept (and start the review of a joint or staged case), return for supplement,
 * complete an instant item, decide (and file, schedule the rating, notify), read the history,
 * and the worklist. Handlers call these and map the result; jobs call the same ones.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { ConflictError, NotFoundError } from '../domain/errors';
import { accept, assertSameDepartment, completeInstant, decide, returnForSupplement } from '../domain/lifecycle';
import { clockView, maskedHistory, maskedNotice } from '../domain/views';
import { maskOptionalText } from '../domain/identity';
import type { CaseIndex, WorklistEntry } from '../store/case-index';
import { keys } from '../store/keys';
import { actOnCase, itemOf, type ActDeps, type Transition } from './case-actions';
import { afterDecision, withDecisionEffects, type AfterDecisionDeps } from './decisions';
import { carryOut, publishEffect, recordEffects, type Effect } from './outbox';
import type { ReviewDeps } from './review';

export type WindowDeps = ActDeps & AfterDecisionDeps & Pick<ReviewDeps, 'workflow'>;

/**
 * An accepted joint or staged case goes to its departments: the start of its review is recorded
 * with the acceptance (the outbox), and carried out right after (staff acceptance, art. 32).
 */
export function withAcceptanceEffects(c: CaseRecord): CaseRecord {
  if (c.status !== 'in-review') return c;
  return recordEffects(c, keys.case(c.caseNo), [{ id: `${c.version}:start-review`, kind: 'start-review' }]);
}

/** A transition whose result carries the consequences of what it did, recorded in the same write. */
export function withConsequences(transition: Transition): Transition {
  return (c, ctx) => {
    const next = transition(c, ctx);
    if (next === c) return c;
    return withStepEffects(c, withAcceptanceEffects(withDecisionEffects(next)));
  };
}

/**
 * The applicant's step SMS (三告知) that a transition calls for, recorded with it: the
 * acceptance (by staff or art. 32) and a return for supplement (a new notice).
 */
function withStepEffects(before: CaseRecord, next: CaseRecord): CaseRecord {
  const effects: Effect[] = [];
  if (!before.acceptedAt && next.acceptedAt && next.status !== 'approved' && next.status !== 'denied')
    effects.push(publishEffect({ type: 'case.accepted', caseNo: next.caseNo }, next.version));
  if (next.status === 'supplement-required' && next.notice && next.notice.issuedAt !== before.notice?.issuedAt)
    effects.push(publishEffect({ type: 'case.returned', caseNo: next.caseNo, at: next.notice.issuedAt }, next.version));
  return effects.length ? recordEffects(next, keys.case(next.caseNo), effects) : next;
}

/**
 * When a staff action fails because the case is already where that action would put it, by the
 * same person (a retry of a request whose answer was lost: a timeout, a 503 after the write),
 * the retry answers as the first would have, and carries out what is still pending.
 */
async function alreadyDone(
  caseNo: string,
  error: unknown,
  done: (c: CaseRecord) => boolean,
  deps: WindowDeps,
): Promise<CaseRecord> {
  if (!(error instanceof ConflictError)) throw error;
  const c = await deps.cases.get(caseNo);
  if (!c || !done(c)) throw error;
  await carryOut(c, deps);
  return c;
}

/** The receipt (受理回执): the case, its item and where the clock stands. */
async function receipt(c: CaseRecord, deps: ActDeps) {
  const clock = clockView(c, itemOf(c, deps.catalog), await deps.calendar.current(), deps.clock.now());
  return {
    caseNo: c.caseNo,
    itemCode: c.itemCode,
    itemName: c.itemName,
    status: c.status,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    decidedAt: c.decidedAt,
    ...clock,
  };
}

export type Receipt = Awaited<ReturnType<typeof receipt>>;

/** Accept (受理): the clock starts; a joint or staged case goes to its departments. */
export async function acceptCase(caseNo: string, staff: Actor, deps: WindowDeps): Promise<Receipt> {
  let after: CaseRecord;
  try {
    ({ after } = await actOnCase(caseNo, { staff }, withConsequences(accept), deps));
    await carryOut(after, deps);
  } catch (error) {
    after = await alreadyDone(
      caseNo,
      error,
      (c) => !!c.acceptedAt && c.history.some((h) => h.action === 'accept' && h.actor === staff.id),
      deps,
    );
  }
  return receipt(after, deps);
}

/** Return for supplement with one notice listing every problem (一次性告知). */
export async function returnCase(
  caseNo: string,
  problems: { code: string; note: string }[],
  staff: Actor,
  deps: WindowDeps,
) {
  const { after } = await actOnCase(
    caseNo,
    { staff },
    withConsequences((c, ctx) => returnForSupplement(c, problems, ctx)),
    deps,
  );
  await carryOut(after, deps);
  return { caseNo: after.caseNo, status: after.status, notice: after.notice && maskedNotice(after.notice) };
}

/** An instant item (即办件): accepted and decided at once, then what follows every decision. */
export async function completeCase(caseNo: string, staff: Actor, deps: WindowDeps): Promise<Receipt> {
  let after: CaseRecord;
  try {
    ({ after } = await actOnCase(caseNo, { staff }, withConsequences(completeInstant), deps));
    await afterDecision(after, deps);
  } catch (error) {
    after = await alreadyDone(caseNo, error, (c) => c.status === 'approved' && c.decision?.by === staff.id, deps);
  }
  return receipt(after, deps);
}

/** The decision of a single-department item, then what follows every decision. */
export async function decideCase(
  caseNo: string,
  input: { decision: 'approve' | 'deny'; reason?: string },
  staff: Actor,
  deps: WindowDeps,
) {
  let after: CaseRecord;
  try {
    ({ after } = await actOnCase(
      caseNo,
      { staff },
      withConsequences((c, ctx) => decide(c, input, ctx)),
      deps,
    ));
    await afterDecision(after, deps);
  } catch (error) {
    after = await alreadyDone(
      caseNo,
      error,
      (c) => c.decision?.by === staff.id && c.decision.outcome === input.decision,
      deps,
    );
  }
  return {
    caseNo: after.caseNo,
    status: after.status,
    decidedAt: after.decidedAt,
    decision: after.decision && { ...after.decision, reason: maskOptionalText(after.decision.reason) },
  };
}

/** Every step on the case's record, for staff of its department. */
export async function caseHistory(caseNo: string, staff: Actor, deps: Pick<ActDeps, 'cases'>) {
  const c = await deps.cases.get(caseNo);
  if (!c) throw new NotFoundError(`case ${caseNo}`);
  assertSameDepartment(c, staff);
  return { caseNo: c.caseNo, status: c.status, history: maskedHistory(c.history), pauses: c.pauses };
}

/** What waits for a staff member, by due date: cases and review tasks apart. */
export async function worklistOf(
  staff: Actor,
  deps: { caseIndex: CaseIndex },
): Promise<{ cases: WorklistEntry[]; tasks: WorklistEntry[] }> {
  const entries = await deps.caseIndex.worklist(staff.id, staff.department);
  return { cases: entries.filter((e) => e.kind === 'case'), tasks: entries.filter((e) => e.kind === 'task') };
}
