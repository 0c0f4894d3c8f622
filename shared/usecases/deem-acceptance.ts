/**
 * Art. 32 of the Administrative Licensing Law, automatically: a case still at pre-review whose
 * 5 working days from receipt have passed without a notice to supplement counts as accepted
 * from the day it was received. Per department, one Query of the sparse open-by-deadline
 * index for submitted cases due before today (China date); each is re-read and decided on its
 * current state (art32DeemedAcceptance), then saved with the version condition by actOnCase.
 * Idempotent: run twice, the second run finds nothing left to do.
 */
import type { Actor } from '../domain/case';
import { chinaDate } from '../domain/china-time';
import { ConflictError } from '../domain/errors';
import { deemAccepted, isDeemedAcceptedNow } from '../domain/lifecycle';
import { actOnCase } from './case-actions';
import type { ReviewDeps } from './review';
import type { RecomputeDeps } from './recompute-deadlines';
import { carryOut, type OutboxDeps } from './outbox';
import { withConsequences } from './window';

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };

export interface DeemResult {
  today: string;
  /** Submitted cases past their pre-review due date that were looked at. */
  examined: number;
  /** Case numbers deemed accepted by this run. */
  deemed: string[];
}

class NotDeemed extends Error {}

export async function deemAcceptance(
  deps: RecomputeDeps & Pick<ReviewDeps, 'workflow'> & OutboxDeps,
): Promise<DeemResult> {
  const today = chinaDate(deps.clock.now());
  const result: DeemResult = { today, examined: 0, deemed: [] };
  for (const department of deps.catalog.departments()) {
    const due = await deps.caseIndex.openCases(department.code, { dueBefore: today, status: 'submitted' });
    for (const c of due) {
      result.examined++;
      try {
        const { after } = await actOnCase(
          c.caseNo,
          { system: SYSTEM_ACTOR },
          withConsequences((current, ctx) => {
            // Decided on the state read inside actOnCase: a notice given or an acceptance since the Query wins.
            if (!isDeemedAcceptedNow(current, ctx.calendar, ctx.now)) throw new NotDeemed();
            return deemAccepted(current, ctx);
          }),
          deps,
        );
        result.deemed.push(c.caseNo);
        // A joint or staged item goes to its departments' review, as when staff accept it: the
        // start was recorded with the acceptance (the outbox), and is carried out now.
        await carryOut(after, deps);
      } catch (error) {
        if (!(error instanceof NotDeemed) && !(error instanceof ConflictError)) throw error;
      }
    }
  }
  return result;
}
