/**
 * The multi-department review, between the state machine and the store:
 *  - startReview: an accepted joint or staged case starts its execution (named by the case
 *    number, so starting twice is harmless);
 *  - the three task actions the state machine invokes (open-task, notice-until, consolidate);
 *  - decideTask: a department's decision over HTTP, recorded first, then handed to the
 *    execution with SendTaskSuccess;
 *  - reopenReturnedTasks: after the applicant supplements, the returning department reviews again;
 *  - applyTaskTimeouts: timeout default (超时默认) or escalation for overdue tasks (a scheduled job);
 *  - resumeReviews: re-runs the execution of every case in review (the local runtime at start).
 * Every task action is idempotent: run again for the same case, stage and department, it
 * answers with the decision already recorded, so a re-run or a redrive reaches the same end.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { chinaDate, toChinaIso } from '../domain/china-time';
import { NotFoundError } from '../domain/errors';
import { publicNoticeEnd, returnForSupplement, startPublicNotice } from '../domain/lifecycle';
import {
  assertMayDecide,
  fileOpinion,
  consolidate,
  overdueTaskAction,
  recordReview,
  reviewPlan,
  taskIdOf,
  validateDecision,
  type DecisionInput,
  type ReviewEntry,
  type TaskDecision,
  type TaskRecord,
} from '../domain/review';
import type { Logger } from '../adapters/logger';
import {
  readConsolidation,
  UnknownTaskTokenError,
  type ConsolidatePayload,
  type NoticeUntilPayload,
  type NoticeUntilResult,
  type OpenTaskPayload,
  type OpenTaskResult,
  type Workflow,
} from '../adapters/workflow';
import type { TaskRepository } from '../store/task-repository';
import type { CaseIndex } from '../store/case-index';
import type { JobStateRepository } from '../store/job-state-repository';
import { standingSweep, sweepDepartments, UNLIMITED, type JobBudget, type SweepOptions, type SweepRun } from './sweep';
import { actOnCase, itemOf, type ActDeps } from './case-actions';
import { afterDecision, withDecisionEffects, type AfterDecisionDeps } from './decisions';
import { showReviewOnCase } from './review-entries';

export interface ReviewDeps extends ActDeps, AfterDecisionDeps {
  tasks: TaskRepository;
  workflow: Workflow;
  logger: Logger;
  caseIndex: CaseIndex;
  /** The cursors of the task-timeouts and resume-reviews sweeps (sweep.ts). */
  jobStates: JobStateRepository;
  /** The A/B post assignee of a department, when posts are configured. */
  assignPost?: (department: string) => Promise<{ post: string; assignee: string } | undefined>;
}

const SYSTEM: Actor = { id: 'system', role: 'system' };
const TASK_TIMEOUTS_JOB = 'task-timeouts';
const RESUME_REVIEWS_JOB = 'resume-reviews';

export async function startReview(c: CaseRecord, deps: Pick<ReviewDeps, 'workflow' | 'catalog'>): Promise<void> {
  await deps.workflow.start(c.caseNo, { caseNo: c.caseNo, stages: reviewPlan(itemOf(c, deps.catalog)) });
}

/** After an acceptance (by staff, or deemed under art. 32): a joint or staged case goes to its departments. */
export async function afterAcceptance(c: CaseRecord, deps: Pick<ReviewDeps, 'workflow' | 'catalog'>): Promise<void> {
  if (c.status === 'in-review') await startReview(c, deps);
}

/** The decision of a task known to be decided (a programming error otherwise). */
function decisionOf(t: TaskRecord): TaskDecision {
  if (!t.decision) throw new Error(`task ${t.taskId} has no decision`);
  return t.decision;
}

/** A field of a decision as the state machine carried it: text, or the fallback. */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function reviewEntryOf(t: TaskRecord): ReviewEntry {
  const d = decisionOf(t);
  return {
    department: t.department,
    stage: t.stage,
    decision: d.decision,
    decidedAt: d.at,
    by: d.by,
    ...(d.opinion ? { opinion: d.opinion } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.deemed ? { deemed: true } : {}),
  };
}

function decisionOutput(t: TaskRecord) {
  return { department: t.department, stage: t.stage, ...decisionOf(t) };
}

/** Answers a token with a recorded decision; a token nobody waits on any more is not an error. */
async function answer(token: string, t: TaskRecord, deps: ReviewDeps): Promise<void> {
  try {
    await deps.workflow.sendTaskSuccess(token, decisionOutput(t));
  } catch (error) {
    if (!(error instanceof UnknownTaskTokenError)) throw error;
    deps.logger.info('decision recorded; its execution will pick it up when it runs again', { taskId: t.taskId });
  }
}

export async function openTask(p: OpenTaskPayload, deps: ReviewDeps): Promise<OpenTaskResult> {
  const c = await deps.cases.get(p.caseNo);
  if (!c) throw new NotFoundError(`case ${p.caseNo}`);
  const now = deps.clock.now();
  const assignment = deps.assignPost ? await deps.assignPost(p.department) : undefined;
  const fresh: TaskRecord = {
    taskId: taskIdOf(p.caseNo, p.stage, p.department),
    caseNo: p.caseNo,
    itemCode: c.itemCode,
    stage: p.stage,
    kind: p.kind,
    department: p.department,
    assignee: assignment?.assignee,
    // Each department answers by the case's committed deadline; the sweep watches it.
    due: c.deadlines?.committed ?? chinaDate(now),
    status: 'open',
    token: p.token,
    openedAt: toChinaIso(now),
    version: 1,
  };
  const { created, task } = await deps.tasks.openOnce(fresh);
  if (created) return { decided: false };
  if (task.status === 'decided') {
    await answer(p.token, task, deps);
    return { decided: true, output: decisionOutput(task) };
  }
  if (task.token !== p.token)
    await deps.tasks.save({ ...task, token: p.token, version: task.version + 1 }, task.version);
  return { decided: false };
}

/**
 * When a public notice (公示) ends: `days` from the day it starts, ending at the start of the
 * following day, in China time; working days when the item says so. The notice does not
 * count against the limit (art. 45): it is recorded on the case as a pause. Idempotent.
 */
export async function noticeUntil(p: NoticeUntilPayload, deps: ReviewDeps): Promise<NoticeUntilResult> {
  const { after } = await actOnCase(
    p.caseNo,
    { system: SYSTEM },
    (c, ctx) => startPublicNotice(c, p.stage, p.days, ctx),
    deps,
  );
  await alignTaskDues(after, deps);
  const until = publicNoticeEnd(after, p.stage);
  if (!until) throw new Error(`case ${p.caseNo} shows no public notice for stage ${p.stage}`);
  return { until };
}

/**
 * Every review task of a case still waiting on its department (open, or returned and waiting on
 * the applicant) is due by the case's committed deadline: when a pause or a calendar change
 * moved that deadline, the tasks move with it.
 */
export async function alignTaskDues(c: CaseRecord, deps: Pick<ReviewDeps, 'tasks'>): Promise<void> {
  const committed = c.deadlines?.committed;
  if (!committed) return;
  for (const t of await deps.tasks.ofCase(c.caseNo)) {
    if ((t.status === 'open' || t.status === 'returned') && t.due !== committed)
      await deps.tasks.save({ ...t, due: committed, version: t.version + 1 }, t.version);
  }
}

export async function consolidateCase(
  p: ConsolidatePayload,
  deps: ReviewDeps,
): Promise<{ caseNo: string; status: string }> {
  const result = readConsolidation(p);
  const denials = result.reviews
    .filter((r) => r.review.decision === 'deny')
    .map((r) => ({ department: r.department, reason: text(r.review.reason) }));
  const { before, after } = await actOnCase(
    p.caseNo,
    { system: SYSTEM },
    (c, ctx) => {
      // Any department's decision the case does not show yet (its own write failed) is added first.
      let withReviews = c;
      for (const r of result.reviews) {
        withReviews = recordReview(
          withReviews,
          {
            department: r.department,
            stage: r.stage,
            decision: r.review.decision,
            decidedAt: text(r.review.at, ctx.at),
            by: text(r.review.by, 'unknown'),
            ...(r.review.reason ? { reason: text(r.review.reason) } : {}),
            ...(r.review.deemed ? { deemed: true } : {}),
          },
          { id: text(r.review.by, 'unknown'), role: 'reviewer', department: r.department },
          ctx.at,
        );
      }
      const next = consolidate(withReviews, result.outcome, denials, ctx.item.departments.lead, ctx.at);
      if (next === c) return c;
      // The decision's consequences are recorded with it (the outbox), carried out by afterDecision.
      return withDecisionEffects({ ...next, version: c.version + 1 });
    },
    deps,
  );
  // A re-run of a consolidation already saved carries out what is still pending on the case.
  if (before.status === 'in-review' || after === before) await afterDecision(after, deps);
  return { caseNo: after.caseNo, status: after.status };
}

export async function decideTask(taskId: string, input: DecisionInput, actor: Actor, deps: ReviewDeps) {
  const task = await deps.tasks.get(taskId);
  if (!task) throw new NotFoundError(`task ${taskId}`);
  const c = await deps.cases.get(task.caseNo);
  if (!c) throw new NotFoundError(`case ${task.caseNo}`);
  assertMayDecide(task, actor, c.status);
  validateDecision(input);
  const at = toChinaIso(deps.clock.now());

  if (input.decision === 'return') {
    await deps.tasks.save({ ...task, status: 'returned', version: task.version + 1 }, task.version);
    const { after } = await actOnCase(
      task.caseNo,
      { system: actor },
      (cur, ctx) => {
        const returned = returnForSupplement(cur, input.problems ?? [], ctx);
        const reviewed = recordReview(
          returned,
          {
            department: task.department,
            stage: task.stage,
            decision: 'return',
            decidedAt: at,
            by: actor.id,
            opinion: input.opinion,
          },
          actor,
          at,
        );
        return { ...reviewed, version: cur.version + 1 };
      },
      deps,
    );
    await deps.events.publish({ type: 'case.returned', caseNo: after.caseNo, at: after.notice?.issuedAt ?? '' });
    return { taskId, status: 'returned', caseStatus: after.status, notice: after.notice };
  }

  const decision: TaskDecision = {
    decision: input.decision,
    by: actor.id,
    at,
    ...(input.opinion ? { opinion: input.opinion } : {}),
    ...(input.decision === 'deny' ? { reason: (input.reason ?? '').trim() } : {}),
  };
  const decided: TaskRecord = { ...task, status: 'decided', decision, version: task.version + 1 };
  // Recorded on the task first (exactly once: conditional on the version read), then handed to
  // the execution, then shown on the case. The case write is the contended one (several
  // departments decide together); if it ever fails, the execution still goes on and the
  // consolidation fills the missing entry from the decisions it carries (recordReview is idempotent).
  await deps.tasks.save(decided, task.version);
  if (task.token) await answer(task.token, decided, deps);
  await showReviewOnCase(c, reviewEntryOf(decided), actor, at, deps);
  return { taskId, status: 'decided', decision };
}

/** A department deemed to agree files the written opinion it owes; the case's history records it. */
export async function fileTaskOpinion(taskId: string, opinion: string, actor: Actor, deps: ReviewDeps) {
  const task = await deps.tasks.get(taskId);
  if (!task) throw new NotFoundError(`task ${taskId}`);
  const at = toChinaIso(deps.clock.now());
  const filed = fileOpinion(task, opinion, actor, at);
  await deps.tasks.save(filed, task.version);
  await actOnCase(
    task.caseNo,
    { system: actor },
    (c) => ({
      ...c,
      version: c.version + 1,
      history: [
        ...c.history,
        {
          at,
          actor: actor.id,
          role: actor.role,
          action: 'opinion-filed',
          from: c.status,
          to: c.status,
          note: `${task.department} filed its written opinion on stage ${task.stage} (deemed to agree; due ${task.decision?.opinionDue ?? '-'}): ${filed.decision?.opinion ?? ''}`,
        },
      ],
    }),
    deps,
  );
  return { taskId, status: 'decided', decision: filed.decision };
}

/** After a supplement puts a case back in review, the departments that returned it review again. */
export async function reopenReturnedTasks(c: CaseRecord, deps: Pick<ReviewDeps, 'tasks'>): Promise<void> {
  if (c.status !== 'in-review') return;
  const committed = c.deadlines?.committed;
  for (const t of await deps.tasks.ofCase(c.caseNo)) {
    if (t.status === 'returned' || (t.status === 'open' && committed && t.due !== committed))
      await deps.tasks.save(
        { ...t, status: 'open', ...(committed ? { due: committed } : {}), version: t.version + 1 },
        t.version,
      );
  }
}

/**
 * Overdue review tasks: where the item allows timeout default (超时默认), the department is
 * deemed to approve (recorded as such; its written opinion is owed within 1 working day);
 * otherwise the task is escalated once, for the supervisors.
 */
export async function applyTaskTimeouts(
  deps: ReviewDeps,
  budget: JobBudget = UNLIMITED,
  options: SweepOptions = {},
): Promise<{ deemed: string[]; escalated: string[]; run: SweepRun }> {
  const now = deps.clock.now();
  const today = chinaDate(now);
  const at = toChinaIso(now);
  const calendar = await deps.calendar.current();
  const deemed: string[] = [];
  const escalated: string[] = [];
  const run = await sweepDepartments(
    await standingSweep(TASK_TIMEOUTS_JOB, deps),
    deps,
    budget,
    (department, startKey, limit) => deps.caseIndex.openTasksPage(department, startKey, limit, { dueBefore: today }),
    async (row) => {
      const task = await deps.tasks.get(row.taskId); // consistent read of the item the index showed
      if (!task || task.status !== 'open' || task.due >= today) return false;
      const item = deps.catalog.item(task.itemCode);
      if (!item) return false;
      if (overdueTaskAction(item) === 'deem-approve') {
        const decision: TaskDecision = {
          decision: 'approve',
          by: 'system',
          at,
          deemed: true,
          opinionDue: calendar.addWorkingDays(today, 1),
        };
        const decided: TaskRecord = { ...task, status: 'decided', decision, version: task.version + 1 };
        await deps.tasks.save(decided, task.version);
        if (task.token) await answer(task.token, decided, deps);
        await actOnCase(
          task.caseNo,
          { system: SYSTEM },
          (cur) =>
            recordReview(
              cur,
              {
                ...reviewEntryOf(decided),
                opinion: `deemed to agree (超时默认); written opinion due ${decision.opinionDue}`,
              },
              SYSTEM,
              at,
            ),
          deps,
        );
        deemed.push(task.taskId);
        return true;
      }
      if (!task.escalatedAt) {
        await deps.tasks.save({ ...task, escalatedAt: at, version: task.version + 1 }, task.version);
        await actOnCase(
          task.caseNo,
          { system: SYSTEM },
          (cur) => ({
            ...cur,
            version: cur.version + 1,
            history: [
              ...cur.history,
              {
                at,
                actor: SYSTEM.id,
                role: 'system',
                action: 'escalate',
                from: cur.status,
                to: cur.status,
                note: `${task.department} did not decide stage ${task.stage} by ${task.due}; escalated to the supervisors (督办)`,
              },
            ],
          }),
          deps,
        );
        escalated.push(task.taskId);
        return true;
      }
      return false;
    },
    'restart',
    options,
  );
  return { deemed, escalated, run };
}

/** Re-runs the execution of every case in review: after a restart, the recorded decisions answer at once. */
export async function resumeReviews(
  deps: ReviewDeps,
  budget: JobBudget = UNLIMITED,
  options: SweepOptions = {},
): Promise<string[]> {
  const resumed: string[] = [];
  await sweepDepartments(
    await standingSweep(RESUME_REVIEWS_JOB, deps),
    deps,
    budget,
    (department, startKey, limit) => deps.caseIndex.openCasesPage(department, startKey, limit),
    async (c) => {
      if (c.status !== 'in-review') return false;
      await startReview(c, deps);
      resumed.push(c.caseNo);
      return true;
    },
    'restart',
    options,
  );
  return resumed;
}
