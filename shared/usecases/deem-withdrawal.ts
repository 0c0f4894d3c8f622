/**
 * Deemed withdrawal (视为撤回), daily: a case returned for supplement whose last day to
 * supplement (notice.supplementDue; the item's supplementWorkingDays, default 15 working days)
 * is before today (China date) is withdrawn by the system, the history saying why, and
 * `case.withdrawn-deemed` is published (the notify function tells the applicant by SMS).
 * Per department, one Query of the open-by-deadline index for the cases waiting on a
 * supplement (CaseIndex.awaitingSupplement); each is decided again on the state read inside
 * actOnCase and saved with the version condition, so a supplement that arrives in between
 * wins. Idempotent: run twice, the second run finds nothing left to do.
 */
import { chinaDate } from '../domain/china-time';
import { ConflictError } from '../domain/errors';
import { deemWithdrawn, isDeemedWithdrawnNow } from '../domain/deemed-withdrawal';
import type { Events } from '../adapters/events';
import type { CaseIndex } from '../store/case-index';
import { actOnCase, itemOf, type ActDeps } from './case-actions';
import { SYSTEM_ACTOR } from './deem-acceptance';

export interface DeemWithdrawalDeps extends ActDeps {
  caseIndex: CaseIndex;
  events: Pick<Events, 'publish'>;
}

export interface DeemWithdrawalResult {
  today: string;
  /** Cases waiting on a supplement that were looked at. */
  examined: number;
  /** Case numbers deemed withdrawn by this run. */
  withdrawn: string[];
}

class NotDue extends Error {}

export async function deemWithdrawal(deps: DeemWithdrawalDeps): Promise<DeemWithdrawalResult> {
  const now = deps.clock.now();
  const today = chinaDate(now);
  const result: DeemWithdrawalResult = { today, examined: 0, withdrawn: [] };
  const calendar = await deps.calendar.current();
  for (const department of deps.catalog.departments()) {
    for (const c of await deps.caseIndex.awaitingSupplement(department.code)) {
      result.examined++;
      if (!isDeemedWithdrawnNow(c, itemOf(c, deps.catalog), calendar, now)) continue;
      try {
        const { after } = await actOnCase(
          c.caseNo,
          { system: SYSTEM_ACTOR },
          (current, ctx) => {
            // Decided on the state read inside actOnCase: a supplement since the Query wins.
            if (!isDeemedWithdrawnNow(current, ctx.item, ctx.calendar, ctx.now)) throw new NotDue();
            return deemWithdrawn(current, ctx);
          },
          deps,
        );
        await deps.events.publish({ type: 'case.withdrawn-deemed', caseNo: after.caseNo });
        result.withdrawn.push(c.caseNo);
      } catch (error) {
        if (!(error instanceof NotDue) && !(error instanceof ConflictError)) throw error;
      }
    }
  }
  return result;
}
