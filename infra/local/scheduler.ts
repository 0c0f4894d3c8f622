/**
 * The local runtime's EventBridge: fires each schedule of infra/schedules.ts on its interval
 * (`everyMinutes`, real time; timers unref'd so they never keep the process alive) by invoking
 * the schedule's function with `{ job }`, exactly the event the AWS rule sends. A schedule
 * whose previous run has not finished is skipped, not stacked. `runNow(job)` runs a job at
 * once and returns what it reports: tests and demos use it after moving the clock, since
 * time travel does not fire timers.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/adapters/logger';
import { NotFoundError } from '../../shared/domain/errors';
import { isJobName } from '../../functions/jobs/jobs';
import type { JobResult } from '../../functions/jobs/handler';
import type { LocalHandler } from './functions';
import { DEFAULT_LOCAL_EVERY_MINUTES, SCHEDULES, type JobSchedule } from '../schedules';

export class LocalScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly handlers: Record<string, LocalHandler | undefined>,
    private readonly logger: Logger,
    private readonly schedules: readonly JobSchedule[] = SCHEDULES,
  ) {}

  start(): void {
    for (const s of this.schedules) {
      const ms = (s.everyMinutes ?? DEFAULT_LOCAL_EVERY_MINUTES) * 60_000;
      const timer = setInterval(() => {
        if (this.running.has(s.name)) return;
        const run = this.invoke(s.fn, s.job)
          .catch((error: unknown) => {
            this.logger.error('scheduled job failed', { schedule: s.name, job: s.job, error });
          })
          .finally(() => this.running.delete(s.name));
        this.running.set(s.name, run);
      }, ms);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Runs a job now, on the function its schedule names (the jobs function for a job of JOBS with no schedule). */
  async runNow(job: string): Promise<JobResult> {
    const schedule = this.schedules.find((s) => s.job === job);
    if (!schedule && !isJobName(job)) throw new NotFoundError(`the job ${JSON.stringify(job)}`);
    return this.invoke(schedule?.fn ?? 'jobs', job);
  }

  /** Stops firing and waits for runs in flight. */
  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.allSettled([...this.running.values()]);
  }

  private invoke(fn: string, job: string): Promise<JobResult> {
    const handler = this.handlers[fn];
    if (!handler) throw new Error(`schedule names function ${fn}, which the local runtime does not have`);
    // A schedule's function is the jobs function (or one like it): it answers with a JobResult.
    return handler(
      { job },
      {
        functionName: fn,
        awsRequestId: randomUUID(),
        getRemainingTimeInMillis: () => 15 * 60_000,
        callbackWaitsForEmptyEventLoop: false,
      },
    ) as Promise<JobResult>;
  }
}
