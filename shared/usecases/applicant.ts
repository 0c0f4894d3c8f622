/**
 * What the applicant does to their own case: follow its progress, supplement what a notice
 * asked for (and the departments that returned it review again), withdraw. Staff of the case's
 * department may read the progress too, with the staff view.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { toChinaIso } from '../domain/china-time';
import { subjectKey } from '../domain/one-time-code';
import { queryCodeOfCase } from '../domain/query-code';
import { NotFoundError } from '../domain/errors';
import { supplement, withdraw } from '../domain/lifecycle';
import { clockView, maskedNotice, progressView, staffView } from '../domain/views';
import { actOnCase, openWithCredentials, QUERY_CODE_LIMIT, type ActDeps } from './case-actions';
import { reopenReturnedTasks, type ReviewDeps } from './review';

/**
 * The applicant's progress view (with the case's query code or a one-time code), or the staff
 * view for staff of its department. Opened with a one-time code, the view carries the case's
 * query code again (a lost code is found this way). Staff also see whether guessing has locked
 * the case or its phone, and until when.
 */
export async function caseProgress(
  caseNo: string,
  caller: { queryCode?: string; oneTimeCode?: string; staff?: Actor },
  deps: Pick<ActDeps, 'cases' | 'catalog' | 'calendar' | 'clock' | 'hasher' | 'attempts' | 'oneTimeCodes'>,
) {
  const asStaff = caller.staff ? await deps.cases.get(caseNo) : undefined;
  if (caller.staff && !asStaff) throw new NotFoundError(`case ${caseNo}`);
  const staff = asStaff !== undefined && caller.staff?.department === asStaff.department;
  const { record, openedBy } = staff
    ? { record: asStaff, openedBy: undefined }
    : await openWithCredentials(
        caseNo,
        caller.oneTimeCode !== undefined ? { oneTimeCode: caller.oneTimeCode } : { queryCode: caller.queryCode },
        deps,
      );
  const time = clockView(record, deps.catalog.item(record.itemCode), await deps.calendar.current(), deps.clock.now());
  if (staff) return { ...staffView(record, time), ...(await codeLocks(record, deps)) };
  const queryCode = openedBy === 'one-time-code' ? queryCodeOfCase(record, (v) => deps.hasher.hash(v)) : undefined;
  return { ...progressView(record, time), ...(queryCode ? { queryCode } : {}) };
}

/** Until when wrong codes lock the case, and its phone's "my cases", for staff to see (and tell a caller). */
async function codeLocks(record: CaseRecord, deps: Pick<ActDeps, 'attempts' | 'clock'>) {
  const now = deps.clock.now();
  const [caseLock, phoneLock] = await Promise.all([
    deps.attempts.lockedUntil(subjectKey({ caseNo: record.caseNo }), now, QUERY_CODE_LIMIT),
    deps.attempts.lockedUntil(subjectKey({ phoneHash: record.phoneHash }), now, QUERY_CODE_LIMIT),
  ]);
  if (!caseLock && !phoneLock) return {};
  return {
    codeLock: {
      ...(caseLock ? { case: toChinaIso(new Date(caseLock)) } : {}),
      ...(phoneLock ? { phone: toChinaIso(new Date(phoneLock)) } : {}),
    },
  };
}

/** The applicant supplies what the notice asked for (补正): the clock resumes, returned review tasks reopen. */
export async function supplementCase(
  caseNo: string,
  input: { queryCode: string | undefined; oneTimeCode?: string; materials: string[] },
  deps: ActDeps & Pick<ReviewDeps, 'tasks'>,
) {
  const { after } = await actOnCase(
    caseNo,
    { applicant: { queryCode: input.queryCode, oneTimeCode: input.oneTimeCode } },
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

/**
 * The applicant withdraws the application before a decision. It cannot be undone, so it needs a
 * fresh one-time code (X-One-Time-Code, sent to the case's phone); a query code alone gets 403.
 */
export async function withdrawCase(
  caseNo: string,
  input: { queryCode: string | undefined; oneTimeCode?: string; note?: string },
  deps: ActDeps,
) {
  const { after } = await actOnCase(
    caseNo,
    { applicant: { queryCode: input.queryCode, oneTimeCode: input.oneTimeCode, oneTimeCodeFor: 'Withdrawal' } },
    (c, ctx) => withdraw(c, ctx, input.note),
    deps,
  );
  return { caseNo: after.caseNo, status: after.status };
}
