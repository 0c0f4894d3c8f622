/**
 * What window staff and department reviewers do to a case, each action with every step it
 * needs: accept (and start the review of a joint or staged case), return for supplement,
 * complete an instant item, decide (and file, schedule the rating, notify), read the history,
 * and the worklist. Handlers call these and map the result; jobs call the same ones.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import { accept, assertSameDepartment, completeInstant, decide, returnForSupplement } from '../domain/lifecycle';
import { clockView, maskedHistory, maskedNotice } from '../domain/views';
import { maskOptionalText } from '../domain/identity';
import type { CaseIndex, WorklistEntry } from '../store/case-index';
import { actOnCase, itemOf, type ActDeps } from './case-actions';
import { afterDecision, type AfterDecisionDeps } from './decisions';
import { afterAcceptance, type ReviewDeps } from './review';

export type WindowDeps = ActDeps & AfterDecisionDeps & Pick<ReviewDeps, 'workflow'>;

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
  const { after } = await actOnCase(caseNo, { staff }, accept, deps);
  await deps.events.publish({ type: 'case.accepted', caseNo: after.caseNo });
  await afterAcceptance(after, deps);
  return receipt(after, deps);
}

/** Return for supplement with one notice listing every problem (一次性告知). */
export async function returnCase(
  caseNo: string,
  problems: { code: string; note: string }[],
  staff: Actor,
  deps: ActDeps & Pick<AfterDecisionDeps, 'events'>,
) {
  const { after } = await actOnCase(caseNo, { staff }, (c, ctx) => returnForSupplement(c, problems, ctx), deps);
  await deps.events.publish({ type: 'case.returned', caseNo: after.caseNo, at: after.notice?.issuedAt ?? '' });
  return { caseNo: after.caseNo, status: after.status, notice: after.notice && maskedNotice(after.notice) };
}

/** An instant item (即办件): accepted and decided at once, then what follows every decision. */
export async function completeCase(caseNo: string, staff: Actor, deps: WindowDeps): Promise<Receipt> {
  const { after } = await actOnCase(caseNo, { staff }, completeInstant, deps);
  await afterDecision(after, deps);
  return receipt(after, deps);
}

/** The decision of a single-department item, then what follows every decision. */
export async function decideCase(
  caseNo: string,
  input: { decision: 'approve' | 'deny'; reason?: string },
  staff: Actor,
  deps: WindowDeps,
) {
  const { after } = await actOnCase(caseNo, { staff }, (c, ctx) => decide(c, input, ctx), deps);
  await afterDecision(after, deps);
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
