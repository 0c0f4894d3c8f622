/** What follows a decision: a denial is filed for the supervisors (否决报备). */
import type { CaseRecord } from '../domain/case';
import type { DenialRepository } from '../store/denial-repository';

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
