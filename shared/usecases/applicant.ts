/**
 * What the applicant does to their own case: follow its progress, supplement what a notice
 * asked for (and the departments that returned it review again), withdraw. Staff of the case's
 * department may read the progress too, with the staff view.
 */
import type { Actor } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import { supplement, withdraw } from '../domain/lifecycle';
import { clockView, maskedNotice, progressView, staffView } from '../domain/views';
import { actOnCase, openAsApplicant, type ActDeps } from './case-actions';
import { reopenReturnedTasks, type ReviewDeps } from './review';

/** The applicant's progress view (with the case's query code), or the staff view for staff of its department. */
export async function caseProgress(
  caseNo: string,
  caller: { queryCode?: string; staff?: Actor },
  deps: Pick<ActDeps, 'cases' | 'catalog' | 'calendar' | 'clock' | 'hasher' | 'attempts'>,
) {
  const asStaff = caller.staff ? await deps.cases.get(caseNo) : undefined;
  if (caller.staff && !asStaff) throw new NotFoundError(`case ${caseNo}`);
  const staff = asStaff !== undefined && caller.staff?.department === asStaff.department;
  const record = staff ? asStaff : await openAsApplicant(caseNo, caller.queryCode, deps);
  const time = clockView(record, deps.catalog.item(record.itemCode), await deps.calendar.current(), deps.clock.now());
  return staff ? staffView(record, time) : progressView(record, time);
}

/** The applicant supplies what the notice asked for (补正): the clock resumes, returned review tasks reopen. */
export async function supplementCase(
  caseNo: string,
  input: { queryCode: string | undefined; materials: string[] },
  deps: ActDeps & Pick<ReviewDeps, 'tasks'>,
) {
  const { after } = await actOnCase(
    caseNo,
    { applicant: { queryCode: input.queryCode } },
    (c, ctx) => supplement(c, input.materials, ctx),
    deps,
  );
  await reopenReturnedTasks(after, deps);
  return {
    caseNo: after.caseNo,
    status: after.status,
    ...(after.notice ? { notice: maskedNotice(after.notice) } : {}),
  };
}

/** The applicant withdraws the application before a decision. */
export async function withdrawCase(
  caseNo: string,
  input: { queryCode: string | undefined; note?: string },
  deps: ActDeps,
) {
  const { after } = await actOnCase(
    caseNo,
    { applicant: { queryCode: input.queryCode } },
    (c, ctx) => withdraw(c, ctx, input.note),
    deps,
  );
  return { caseNo: after.caseNo, status: after.status };
}
