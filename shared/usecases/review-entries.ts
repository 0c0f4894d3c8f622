/**
 * One department's decision shown on its case (the review entry and its history line) while
 * the other departments of a joint case decide at the same moment: appended with an UpdateItem
 * that does not race the others (CaseRepository.appendReview), falling back to the usual
 * read-and-save (actOnCase, retried on conflict) when the case changed status since it was read
 * or the entry is already there. recordReview (shared/domain/review.ts) makes the entry and is
 * idempotent, so the consolidation can still fill in an entry whose write failed.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { recordReview, type ReviewEntry } from '../domain/review';
import { actOnCase, type ActDeps } from './case-actions';

export async function showReviewOnCase(
  read: CaseRecord,
  entry: ReviewEntry,
  actor: Actor,
  at: string,
  deps: ActDeps,
): Promise<void> {
  const next = recordReview(read, entry, actor, at);
  if (next !== read) {
    const added = next.reviews?.[next.reviews.length - 1];
    const line = next.history[next.history.length - 1];
    const key = `${entry.stage}#${entry.department}#${entry.decision}#${entry.decidedAt}`;
    if (added && (await deps.cases.appendReview(read.caseNo, read.status, key, { ...added }, { ...line }))) return;
  }
  await actOnCase(read.caseNo, { system: actor }, (cur) => recordReview(cur, entry, actor, at), deps);
}
