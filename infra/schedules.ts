/**
 * The one list of schedules, read by both runtimes: infra/aws makes an EventBridge rule per
 * schedule that invokes `fn` with `{ "job": job }`; infra/local/scheduler.ts fires the same
 * event every `everyMinutes` and lets tests and demos run a job now (Runtime.runNow, or
 * POST /_local/jobs/{job} with an admin token).
 *
 * `cron` is an EventBridge cron expression, which AWS evaluates in UTC: China time (UTC+8, no
 * daylight saving) is 8 hours ahead, so 00:05 in China is `cron(5 16 * * ? *)` of the day
 * before. Say the China time in `description`.
 *
 * To add a schedule: add the job to functions/jobs/jobs.ts (JOBS), then an entry here with
 * fn 'jobs'. A test checks that every schedule names a known job, and the CDK test that each
 * becomes a rule with that input.
 */
import type { JobName } from '../functions/jobs/jobs';
import type { FunctionName } from './routes';

export interface JobSchedule {
  /** Logical name: the CDK rule id is `<name>Schedule`. PascalCase. */
  name: string;
  description: string;
  /** EventBridge schedule expression: `cron(min hour day-of-month month day-of-week year)` in UTC, or `rate(n minutes)`. */
  cron: string;
  /** How often the local runtime fires it, in minutes (default 60). Jobs are idempotent, so more often than the cron is harmless. */
  everyMinutes?: number;
  /** The function invoked with `{ job }`; 'jobs' runs functions/jobs/jobs.ts. */
  fn: FunctionName;
  job: JobName | ReviewJobName;
}

/** Jobs of the review function: only it answers the state machine's task tokens. */
export type ReviewJobName = 'task-timeouts' | 'resume-reviews';

export const DEFAULT_LOCAL_EVERY_MINUTES = 60;

export const SCHEDULES: readonly JobSchedule[] = [
  {
    name: 'DeemAcceptance',
    description:
      'Art. 32 deemed acceptance, daily at 00:05 China time (16:05 UTC): submitted cases with no notice within 5 working days of receipt count as accepted from receipt',
    cron: 'cron(5 16 * * ? *)',
    everyMinutes: 60,
    fn: 'jobs',
    job: 'deem-acceptance',
  },
  {
    name: 'DeemWithdrawal',
    description:
      "Deemed withdrawal (视为撤回), daily at 00:10 China time (16:10 UTC): cases returned for supplement and not supplemented by their last day (the item's supplementWorkingDays, default 15 working days) are withdrawn, the applicant told by SMS",
    cron: 'cron(10 16 * * ? *)',
    everyMinutes: 60,
    fn: 'jobs',
    job: 'deem-withdrawal',
  },
  {
    name: 'DefaultRatings',
    description:
      'Default ratings, daily at 00:15 China time (16:15 UTC): decided cases nobody rated within RATING_DEFAULT_DAYS calendar days (default 7) become fairly satisfied, source default',
    cron: 'cron(15 16 * * ? *)',
    everyMinutes: 60,
    fn: 'jobs',
    job: 'default-ratings',
  },
  {
    name: 'SupervisionSweep',
    description:
      'Electronic supervision (电子监察), every 15 minutes: open cases, review tasks, follow-ups and complaints near or past their deadline turn yellow or red, recorded once per colour, one SMS card per colour',
    cron: 'rate(15 minutes)',
    everyMinutes: 15,
    fn: 'jobs',
    job: 'supervision-sweep',
  },
  {
    name: 'RecomputeDeadlines',
    description:
      'Every 5 minutes: after a calendar change, every open case recomputed on the new calendar, page by page, resuming where the last run stopped (nothing to do otherwise: one read)',
    cron: 'rate(5 minutes)',
    everyMinutes: 1,
    fn: 'jobs',
    job: 'recompute-deadlines',
  },
  {
    name: 'TaskTimeouts',
    description:
      'Overdue review tasks, every 15 minutes: timeout default (超时默认, deemed approval) where the item allows it, otherwise one escalation for the supervisors',
    cron: 'rate(15 minutes)',
    everyMinutes: 15,
    fn: 'review',
    job: 'task-timeouts',
  },
  {
    name: 'ResumeReviews',
    description:
      'Hourly: every case in review has its review execution (named by the case number, so a running one is left alone); repairs an acceptance whose start failed',
    cron: 'rate(1 hour)',
    everyMinutes: 60,
    fn: 'review',
    job: 'resume-reviews',
  },
  {
    name: 'Outbox',
    description:
      'The outbox, every minute: effects of transitions that a crash or a failed call left pending (completion SMS events, denial filings, default-rating schedules, month touches, review starts, cards) carried out again until done',
    cron: 'rate(1 minute)',
    everyMinutes: 1,
    fn: 'jobs',
    job: 'outbox',
  },
  {
    // 01:00 China time on the 1st is 17:00 UTC on the last day of the month before: L is the
    // last day of the month in EventBridge cron (28, 29, 30 or 31, whichever it is).
    name: 'MonthlyReport',
    description:
      "Monthly report, 01:00 China time on the 1st (17:00 UTC on the last day of the month before): the previous month's figures and window ranking stored as REPORT#<yyyy-mm>",
    cron: 'cron(0 17 L * ? *)',
    everyMinutes: 60,
    fn: 'jobs',
    job: 'monthly-report',
  },
];

export function scheduleOf(job: string): JobSchedule | undefined {
  return SCHEDULES.find((s) => s.job === job);
}
