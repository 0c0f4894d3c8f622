/**
 * What follows a decision: a denial is filed for the supervisors (否决报备), the default rating
 * is scheduled, and `case.decided` is published (the notify function sends the completion SMS).
 * Every path that decides a case calls afterDecision once the decision is saved: the window's
 * decide and complete, and the multi-department review's consolidation. Each step is
 * idempotent, so calling it again for the same decision (a retry) changes nothing and sends no
 * second SMS.
 */
import type { CaseRecord } from '../domain/case';
import type { FeedbackSettings } from '../domain/rating';
import type { Events } from '../adapters/events';
import type { DenialRepository } from '../store/denial-repository';
import type { RatingDueRepository } from '../store/rating-due-repository';
import { scheduleDefaultRating } from './ratings';

export interface AfterDecisionDeps {
  denials: DenialRepository;
  ratingDue: RatingDueRepository;
  events: Events;
  feedback: FeedbackSettings;
}

export async function afterDecision(c: CaseRecord, deps: AfterDecisionDeps): Promise<void> {
  if (c.status !== 'approved' && c.status !== 'denied') return;
  await fileDenialIfDenied(c, deps);
  await scheduleDefaultRating(c, deps);
  await deps.events.publish({ type: 'case.decided', caseNo: c.caseNo });
}

export async function fileDenialIfDenied(c: CaseRecord, deps: { denials: DenialRepository }): Promise<void> {
  if (c.status !== 'denied' || !c.decision) return;
  await deps.denials.file({
    caseNo: c.caseNo,
    itemCode: c.itemCode,
    department: c.department,
    reason: c.decision.reason ?? '',
    deniedBy: c.decision.by,
    deniedAt: c.decision.at,
  });
}
