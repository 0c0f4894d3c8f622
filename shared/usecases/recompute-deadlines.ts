/**
 * After the calendar changed: every open case's deadlines (and, before acceptance, its art. 32
 * pre-review due date) recomputed on the new calendar, the change recorded in its history.
 *
 * Off the request path: PUT /calendar/{year} stores the year and records a request
 * (`requestRecompute`, answered 202); the `recompute-deadlines` job (every 5 minutes in AWS,
 * every minute locally) pages through the sparse open-by-deadline index, one department after
 * another, saving its cursor after each page, and stops while its run still has time left: the
 * next run resumes from the cursor. So it finishes whatever the number of open cases, at
 * Guiyang's volume too. A second change while it runs restarts it (job-state-repository.ts).
 *
 * Each save is conditional on the version read, and retried on a conflict with the new state.
 * A case seen twice (its due date moved it later in the index) is recomputed to no change.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { toChinaIso } from '../domain/china-time';
import { ConflictError } from '../domain/errors';
import { recomputeDeadlines, recomputePreReviewDue, type Ctx } from '../domain/lifecycle';
import type { CaseIndex } from '../store/case-index';
import type { JobStateRepository } from '../store/job-state-repository';
import type { TaskRepository } from '../store/task-repository';
import { sweepDepartments, type JobBudget, type SweepOptions, type SweepRun } from './sweep';
import { alignTaskDues } from './review';
import { itemOf, type ActDeps } from './case-actions';

export interface RecomputeDeps extends ActDeps {
  caseIndex: CaseIndex;
  tasks: TaskRepository;
  jobStates: JobStateRepository;
}

export const RECOMPUTE_JOB = 'recompute-deadlines';

const ATTEMPTS = 3;

export interface RecomputeRequest {
  why: string;
  actor: Actor;
}

/** Records that every open case must be recomputed; the job does it. Returns the request's generation. */
export async function requestRecompute(why: string, actor: Actor, deps: Pick<RecomputeDeps, 'jobStates' | 'clock'>) {
  const request: RecomputeRequest = { why, actor };
  return deps.jobStates.request(RECOMPUTE_JOB, request, toChinaIso(deps.clock.now()));
}

export type RecomputeRun = { state: 'idle' } | SweepRun;

/** One run of the job: resumes the pending request, if any, until done or out of budget. */
export async function runRecomputeJob(
  deps: RecomputeDeps,
  budget: JobBudget,
  options: SweepOptions = {},
): Promise<RecomputeRun> {
  const job = await deps.jobStates.get<RecomputeRequest>(RECOMPUTE_JOB);
  if (!job || job.state !== 'pending') return { state: 'idle' };
  const { why, actor } = job.request;
  return sweepDepartments(
    job,
    deps,
    budget,
    (department, startKey, limit) => deps.caseIndex.openCasesPage(department, startKey, limit),
    (open) => recomputeOne(open.caseNo, actor, why, deps),
    'done',
    options,
  );
}

async function recomputeOne(caseNo: string, actor: Actor, why: string, deps: RecomputeDeps): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const before = await deps.cases.get(caseNo);
    if (!before) return false;
    const now = deps.clock.now();
    const ctx: Ctx = {
      actor,
      at: toChinaIso(now),
      now,
      item: itemOf(before, deps.catalog),
      calendar: await deps.calendar.current(),
    };
    const after: CaseRecord | undefined =
      recomputeDeadlines(before, ctx, why) ?? recomputePreReviewDue(before, ctx, why);
    if (!after) return false;
    try {
      await deps.cases.save(after, before.version);
      await alignTaskDues(after, deps);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
