/**
 * Long jobs that page through every department's share of the open-by-deadline index and
 * resume where they stopped (issue 16: "whatever the number of open cases"). The job's cursor
 * (department, LastEvaluatedKey) is saved after each page in JOB#<name>
 * (job-state-repository.ts); a run stops starting pages when its budget (Lambda's remaining
 * time) is below the reserve, and the next run carries on from the cursor.
 *
 * Two kinds:
 *  - a request (the recomputation after a calendar change): done once every department is
 *    through; a newer request supersedes the run (it stops; the next run starts over);
 *  - a standing sweep (task timeouts, resuming reviews): at the end of a pass the cursor goes
 *    back to the start, and the next run begins the next pass.
 */
import type { Clock } from '../adapters/ports';
import { toChinaIso } from '../domain/china-time';
import type { Catalog } from '../domain/catalog';
import type { JobCursor, JobState, JobStateRepository } from '../store/job-state-repository';

/** What a job run may still spend: Lambda's remaining time, or a test's budget. */
export interface JobBudget {
  remainingMs(): number;
}

/** A budget that never runs out: for callers with no deadline (tests, scripts). */
export const UNLIMITED: JobBudget = { remainingMs: () => Number.POSITIVE_INFINITY };

export interface SweepOptions {
  /** Index items read per Query page. */
  pageSize?: number;
  /** Stop starting pages when less than this is left of the run. */
  reserveMs?: number;
}

export interface SweepDeps {
  jobStates: JobStateRepository;
  catalog: Pick<Catalog, 'departments'>;
  clock: Clock;
}

export interface Page<T> {
  items: T[];
  next?: Record<string, unknown>;
}

/** How a run ended, with what it did in this generation (a request) or this pass (a standing sweep). */
export interface SweepRun {
  state: 'pending' | 'done' | 'superseded';
  generation: number;
  processed: number;
  changed: number;
  runs: number;
}

const DEFAULTS: Required<SweepOptions> = { pageSize: 50, reserveMs: 30_000 };

/**
 * Carries `job` on from its cursor: reads pages with `read`, hands each item to `handle` (true
 * when it changed something), saves the cursor after each page. `finish` says what the end of
 * the last department means: 'done' (a request) or 'restart' (a standing sweep's next pass).
 */
export async function sweepDepartments<T>(
  job: JobState<unknown>,
  deps: SweepDeps,
  budget: JobBudget,
  read: (department: string, startKey: Record<string, unknown> | undefined, limit: number) => Promise<Page<T>>,
  handle: (item: T) => Promise<boolean>,
  finish: 'done' | 'restart',
  options: SweepOptions = {},
): Promise<SweepRun> {
  const { pageSize, reserveMs } = { ...DEFAULTS, ...options };
  const departments = deps.catalog.departments().map((d) => d.code);
  const { generation } = job;
  let { cursor, processed, changed } = job;
  const runs = job.runs + 1;
  while (cursor.part < departments.length) {
    if (budget.remainingMs() < reserveMs) {
      // Out of time before a page: record the run, so the next one knows it resumes.
      await deps.jobStates.progress(job.job, generation, { cursor, processed, changed, runs });
      return { state: 'pending', generation, processed, changed, runs };
    }
    const page = await read(departments[cursor.part], cursor.startKey, pageSize);
    for (const item of page.items) {
      processed++;
      if (await handle(item)) changed++;
    }
    const next: JobCursor = page.next ? { part: cursor.part, startKey: page.next } : { part: cursor.part + 1 };
    const through = next.part >= departments.length;
    const saved =
      through && finish === 'restart'
        ? await deps.jobStates.progress(job.job, generation, { cursor: { part: 0 }, processed: 0, changed: 0, runs: 0 })
        : await deps.jobStates.progress(job.job, generation, {
            cursor: next,
            processed,
            changed,
            runs,
            ...(through ? { finishedAt: toChinaIso(deps.clock.now()) } : {}),
          });
    if (!saved) return { state: 'superseded', generation, processed, changed, runs };
    cursor = next;
  }
  return { state: 'done', generation, processed, changed, runs };
}

/** The state of a standing sweep, created at its first run. */
export async function standingSweep(job: string, deps: SweepDeps): Promise<JobState<unknown>> {
  const found = await deps.jobStates.get<unknown>(job);
  if (found) return found;
  await deps.jobStates.request(job, {}, toChinaIso(deps.clock.now()));
  const created = await deps.jobStates.get<unknown>(job);
  if (!created) throw new Error(`the job state of ${job} was written but cannot be read back`);
  return created;
}
