/**
 * Multi-department review (并联审批), pure: the review plan an item's stages give, the task of one
 * department in one stage, its decision rules, timeout default (超时默认), and the lead
 * department's consolidation into the case's decision.
 */
import type { Actor, CaseRecord, CaseStatus, HistoryEntry } from './case';
import type { ServiceItem } from './catalog';
import { ConflictError, ForbiddenError, ValidationError } from './errors';

export type TaskStatus = 'open' | 'returned' | 'decided';

export interface TaskDecision {
  decision: 'approve' | 'deny';
  opinion?: string;
  reason?: string;
  by: string;
  at: string;
  /** Taken as agreed because the department let its due date pass (超时默认). */
  deemed?: boolean;
  /** For a deemed approval: the written opinion is owed by this China date (1 working day). */
  opinionDue?: string;
  /** For a deemed approval: when the department filed its written opinion, and who. */
  opinionFiledAt?: string;
  opinionBy?: string;
}

/** A department deemed to agree (超时默认) that has not yet filed the written opinion it owes. */
export function opinionOwed(t: Pick<TaskRecord, 'status' | 'decision'>): boolean {
  return t.status === 'decided' && t.decision?.deemed === true && !t.decision.opinionFiledAt;
}

/**
 * The written opinion of a department deemed to agree: filed once, by a reviewer of that
 * department, on a task decided by timeout default. The decision itself stays as it was.
 */
export function fileOpinion(task: TaskRecord, opinion: string, actor: Actor, at: string): TaskRecord {
  if (actor.department !== task.department) {
    throw new ForbiddenError(
      `task ${task.taskId} belongs to department ${task.department}; your token is for ${actor.department}`,
    );
  }
  if (task.status !== 'decided' || !task.decision?.deemed) {
    throw new ConflictError(
      `task ${task.taskId} was not decided by timeout default; a written opinion is filed with the decision itself`,
      { taskStatus: task.status },
    );
  }
  if (task.decision.opinionFiledAt) {
    throw new ConflictError(`the written opinion of task ${task.taskId} was filed at ${task.decision.opinionFiledAt}`, {
      taskStatus: task.status,
    });
  }
  const text = opinion.trim();
  if (!text) throw new ValidationError([{ field: 'opinion', message: 'must say what the department thinks' }]);
  return {
    ...task,
    decision: { ...task.decision, opinion: text, opinionFiledAt: at, opinionBy: actor.id },
    version: task.version + 1,
  };
}

export interface TaskRecord {
  taskId: string;
  caseNo: string;
  itemCode: string;
  stage: number;
  kind: 'review' | 'inspection';
  department: string;
  assignee?: string;
  due: string; // YYYY-MM-DD
  status: TaskStatus;
  token?: string;
  openedAt: string;
  decision?: TaskDecision;
  escalatedAt?: string;
  version: number;
}

function sameReview(a: ReviewEntry, b: ReviewEntry): boolean {
  return (
    a.department === b.department && a.stage === b.stage && a.decision === b.decision && a.decidedAt === b.decidedAt
  );
}

/** The review entries a case shows: each department's decision as it arrives. */
export interface ReviewEntry {
  department: string;
  stage: number;
  decision: 'approve' | 'deny' | 'return';
  decidedAt: string;
  by: string;
  opinion?: string;
  reason?: string;
  deemed?: boolean;
}

export type PlanStage =
  | { index: number; kind: 'review' | 'inspection'; departments: string[] }
  | { index: number; kind: 'public-notice'; days: number };

/** The stages the state machine runs for an item, in order. */
export function reviewPlan(item: ServiceItem): PlanStage[] {
  return item.stages.map((s, index) => {
    if (s.kind === 'public-notice') return { index, kind: 'public-notice', days: s.days };
    if (s.kind === 'inspection') return { index, kind: 'inspection', departments: [s.department] };
    return { index, kind: 'review', departments: [...s.departments] };
  });
}

export function usesReviewWorkflow(item: ServiceItem): boolean {
  return item.kind === 'joint' || item.kind === 'staged';
}

export function taskIdOf(caseNo: string, stage: number, department: string): string {
  return `${caseNo}.${stage}.${department}`;
}

export function parseTaskId(taskId: string): { caseNo: string; stage: number; department: string } | undefined {
  const m = /^([A-Z0-9-]+)\.(\d{1,2})\.([A-Z][A-Z0-9]{1,15})$/.exec(taskId);
  return m ? { caseNo: m[1], stage: Number(m[2]), department: m[3] } : undefined;
}

export type DecisionInput =
  | { decision: 'approve'; opinion?: string }
  | { decision: 'deny'; reason?: string; opinion?: string }
  | { decision: 'return'; problems?: { code: string; note: string }[]; opinion?: string };

/** Checks that a reviewer may decide this task now; throws 403 or 409 otherwise. */
export function assertMayDecide(task: TaskRecord, actor: Actor, caseStatus: CaseStatus): void {
  if (actor.department !== task.department) {
    throw new ForbiddenError(
      `task ${task.taskId} belongs to department ${task.department}; your token is for ${actor.department}`,
    );
  }
  if (task.status === 'decided') {
    throw new ConflictError(
      `task ${task.taskId} was already decided (${task.decision?.decision}${task.decision?.deemed ? ', by timeout default; file the written opinion with POST /tasks/{taskId}/opinion' : ''}); a decision is final`,
      {
        taskStatus: task.status,
      },
    );
  }
  if (task.status === 'returned') {
    throw new ConflictError(
      `task ${task.taskId} waits on the applicant's supplement; it can be decided once the case is back in review`,
      {
        taskStatus: task.status,
      },
    );
  }
  if (caseStatus !== 'in-review') {
    throw new ConflictError(`case ${task.caseNo} is ${caseStatus}: its review tasks cannot be decided now`, {
      currentStatus: caseStatus,
    });
  }
}

export function validateDecision(input: DecisionInput): void {
  if (input.decision === 'deny' && !input.reason?.trim()) {
    throw new ValidationError([
      { field: 'reason', message: 'a denial needs the reason, which the applicant and the supervisors will read' },
    ]);
  }
  if (input.decision === 'return' && !(input.problems && input.problems.length > 0)) {
    throw new ValidationError([
      { field: 'problems', message: 'a return for supplement must list every problem, in one notice' },
    ]);
  }
}

/** A review entry appended to the case, with its history line, as the department's decision arrives. */
export function recordReview(c: CaseRecord, entry: ReviewEntry, actor: Actor, at: string): CaseRecord {
  // Idempotent: the same decision arriving twice (a retry, consolidation filling a gap) is recorded once.
  if ((c.reviews ?? []).some((r) => sameReview(r, entry))) return c;
  const note = `${entry.department} stage ${entry.stage}: ${entry.decision}${entry.deemed ? ' (timeout default: deemed to agree)' : ''}${entry.reason ? ` — ${entry.reason}` : ''}`;
  const h: HistoryEntry = {
    at,
    actor: actor.id,
    role: actor.role,
    action: 'review',
    from: c.status,
    to: c.status,
    note,
  };
  return { ...c, reviews: [...(c.reviews ?? []), entry], version: c.version + 1, history: [...c.history, h] };
}

/**
 * The lead department's consolidation: every department approved → approved; any denied →
 * denied, with every department's reason.
 */
export function consolidate(
  c: CaseRecord,
  outcome: 'approve' | 'deny',
  denials: { department: string; reason: string }[],
  lead: string,
  at: string,
): CaseRecord {
  if (c.status === 'approved' || c.status === 'denied') return c; // already consolidated (a re-run)
  if (c.status !== 'in-review') {
    throw new ConflictError(`case ${c.caseNo} is ${c.status}: it cannot be consolidated`, { currentStatus: c.status });
  }
  const to: CaseStatus = outcome === 'approve' ? 'approved' : 'denied';
  const reason = outcome === 'deny' ? denials.map((d) => `${d.department}: ${d.reason}`).join('; ') : undefined;
  const actor = `lead:${lead}`;
  return {
    ...c,
    status: to,
    decidedAt: at,
    decision: { outcome, reason, by: actor, at },
    version: c.version + 1,
    history: [
      ...c.history,
      {
        at,
        actor,
        role: 'system',
        action: 'consolidate',
        from: c.status,
        to,
        note: reason ?? 'every department approved',
      },
    ],
  };
}

/** What the sweep does with an overdue task: deemed approval where the item allows it, escalation otherwise. */
export function overdueTaskAction(item: ServiceItem): 'deem-approve' | 'escalate' {
  return item.timeoutDefault ? 'deem-approve' : 'escalate';
}
