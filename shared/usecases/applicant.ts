/**
 * What the applicant does to their own case: follow its progress, supplement what a notice
 * asked for (and the departments that returned it review again), withdraw. Staff of the case's
 * department may read the progress too, with the staff view.
 */
import type { Actor } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import { supplement, withdraw } from '../domain/lifecycle';
import { clockView, phoneMatches, progressView, staffView } from '../domain/views';
import { actOnCase, type ActDeps } from './case-actions';
import { reopenReturnedTasks, type ReviewDeps } from './review';

/** The applicant's progress view (with the phone's last 4 digits), or the staff view for staff of its department. */
export async function caseProgress(
  caseNo: string,
  caller: { phoneLast4?: string; staff?: Actor },
  deps: Pick<ActDeps, 'cases' | 'catalog' | 'calendar' | 'clock'>,
) {
  const record = await deps.cases.get(caseNo);
  // One answer for "no such case" and "wrong phone digits": case numbers cannot be probed.
  const notFound = new NotFoundError(`case ${caseNo} with those phone digits`);
  if (!record) throw notFound;
  const staff = caller.staff?.department === record.department;
  if (!staff && !phoneMatches(record, caller.phoneLast4)) throw notFound;
  const time = clockView(record, deps.catalog.item(record.itemCode), await deps.calendar.current(), deps.clock.now());
  return staff ? staffView(record, time) : progressView(record, time);
}

/** The applicant supplies what the notice asked for (补正): the clock resumes, returned review tasks reopen. */
export async function supplementCase(
  caseNo: string,
  input: { phone: string; materials: string[] },
  deps: ActDeps & Pick<ReviewDeps, 'tasks'>,
) {
  const { after } = await actOnCase(
    caseNo,
    { applicantPhoneLast4: input.phone },
    (c, ctx) => supplement(c, input.materials, ctx),
    deps,
  );
  await reopenReturnedTasks(after, deps);
  return { caseNo: after.caseNo, status: after.status, ...(after.notice ? { notice: after.notice } : {}) };
}

/** The applicant withdraws the application before a decision. */
export async function withdrawCase(caseNo: string, input: { phone: string; note?: string }, deps: ActDeps) {
  const { after } = await actOnCase(
    caseNo,
    { applicantPhoneLast4: input.phone },
    (c, ctx) => withdraw(c, ctx, input.note),
    deps,
  );
  return { caseNo: after.caseNo, status: after.status };
}
