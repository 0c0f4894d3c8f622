/**
 * What follows a decision: a denial is filed for the supervisors (否决报备), the default rating
 * is scheduled, and `case.decided` is published (the notify function sends the completion SMS).
 * Every path that decides a case records these on the case in the same conditional write as
 * the decision (`withDecisionEffects`, the outbox: shared/usecases/outbox.ts), and carries them
 * out once the decision is saved (`afterDecision`): the window's decide and complete, and the
 * multi-department review's consolidation. The outbox job carries out again whatever a crash or
 * a failed call left pending. Each step is idempotent, so carrying it out again for the same
 * decision changes nothing and sends no second SMS.
 */
import type { CaseRecord } from '../domain/case';
import type { DenialRepository } from '../store/denial-repository';
import { keys } from '../store/keys';
import { carryOut, publishEffect, recordEffects, type Effect, type OutboxDeps } from './outbox';

export type AfterDecisionDeps = OutboxDeps;

function isDecidedNow(c: CaseRecord): boolean {
  return c.status === 'approved' || c.status === 'denied';
}

/** The effects of a decision, as recorded with it (ids by the version written, unique on the case). */
export function decisionEffects(c: CaseRecord): Effect[] {
  if (!isDecidedNow(c)) return [];
  const v = c.version;
  return [
    ...(c.status === 'denied' ? [{ id: `${v}:file-denial`, kind: 'file-denial' } as const] : []),
    { id: `${v}:schedule-rating`, kind: 'schedule-rating' },
    publishEffect({ type: 'case.decided', caseNo: c.caseNo }, v),
  ];
}

/** A decided case with its consequences recorded on it (the same record when it is not decided). */
export function withDecisionEffects(c: CaseRecord): CaseRecord {
  const effects = decisionEffects(c);
  return effects.length ? recordEffects(c, keys.case(c.caseNo), effects) : c;
}

/** Once the decision is saved: its consequences (and any still pending on the case) carried out now. */
export async function afterDecision(c: CaseRecord, deps: AfterDecisionDeps): Promise<void> {
  await carryOut(c, deps);
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
