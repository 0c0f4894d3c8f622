/**
 * After the calendar changed: every open case's deadlines (and, before acceptance, its art. 32
 * pre-review due date) recomputed on the new calendar, the change recorded in its history.
 * Open cases come from the sparse open-by-deadline index, one Query per department; each save
 * is conditional on the version read, and retried on a conflict with the new state.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { toChinaIso } from '../domain/china-time';
import { ConflictError } from '../domain/errors';
import { recomputeDeadlines, recomputePreReviewDue, type Ctx } from '../domain/lifecycle';
import type { CaseIndex } from '../store/case-index';
import type { TaskRepository } from '../store/task-repository';
import { alignTaskDues } from './review';
import { itemOf, type ActDeps } from './case-actions';

export interface RecomputeDeps extends ActDeps {
  caseIndex: CaseIndex;
  tasks: TaskRepository;
}

const ATTEMPTS = 3;

/** Returns the case numbers whose deadlines moved. */
export async function recomputeOpenCases(actor: Actor, why: string, deps: RecomputeDeps): Promise<string[]> {
  const changed: string[] = [];
  for (const department of deps.catalog.departments()) {
    for (const open of await deps.caseIndex.openCases(department.code)) {
      if (await recomputeOne(open.caseNo, actor, why, deps)) changed.push(open.caseNo);
    }
  }
  return changed;
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
