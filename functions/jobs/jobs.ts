/**
 * The jobs the `jobs` function runs: scheduled work with no HTTP in front of it. Each job takes
 * the AppDeps and returns a small summary (logged, and returned to whoever ran it). A job
 * must be idempotent and decide on deps.clock's date, not on when it fires: EventBridge may
 * deliver twice, the local runtime fires more often than the cron, and a demo may travel in time.
 *
 * To add a job: add an entry here, and a schedule for it in infra/schedules.ts.
 */
import { deemAcceptance } from '../../shared/usecases/deem-acceptance';
import { runRecomputeJob } from '../../shared/usecases/recompute-deadlines';
import type { JobBudget } from '../../shared/usecases/sweep';
import { deemWithdrawal } from '../../shared/usecases/deem-withdrawal';
import { applyDefaultRatings } from '../../shared/usecases/ratings';
import { runMonthlyReport } from '../../shared/usecases/reports';
import { runSupervisionSweep } from '../../shared/usecases/supervision';
import { runOutbox } from '../../shared/usecases/outbox';
import type { AppDeps } from '../../shared/wiring';

/** A job gets the deps and its run's budget (Lambda's remaining time): a long job stops in time and resumes. */
export type Job = (deps: AppDeps, budget: JobBudget) => Promise<unknown>;

export const JOBS = {
  /** Art. 32: submitted cases with no notice within 5 working days of receipt count as accepted from receipt. */
  'deem-acceptance': (deps) => deemAcceptance(deps),
  /** 视为撤回: cases returned for supplement and not supplemented by their last day (the item's supplementWorkingDays) are withdrawn. */
  'deem-withdrawal': (deps) => deemWithdrawal(deps),
  /** No rating within the set calendar days of the decision (default 7): fairly satisfied, recorded as a default (Guangdong's rule). */
  'default-ratings': (deps) => applyDefaultRatings(deps),
  /** Electronic supervision (电子监察): open cases, tasks, follow-ups and complaints turning yellow or red are recorded once per colour and carded by SMS. */
  'supervision-sweep': (deps) => runSupervisionSweep(deps),
  /** The previous month's report (with the window ranking) stored as REPORT#<yyyy-mm>, unless it is stored already. */
  'monthly-report': (deps) => runMonthlyReport(deps),
  /** After a calendar change (PUT /calendar/{year}): every open case's deadlines recomputed, page by page, resuming where the last run stopped. */
  'recompute-deadlines': (deps, budget) => runRecomputeJob(deps, budget),
  /** The outbox: effects of transitions (SMS events, filings, month touches, review starts) a crash or a failed call left pending, carried out again. */
  outbox: (deps) => runOutbox(deps),
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, name);
}
