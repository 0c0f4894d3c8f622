/**
 * The jobs function: EventBridge (a rule per schedule in infra/schedules.ts) invokes it with
 * `{ "job": "<name>" }`; the local scheduler does the same. It runs the named job with the
 * AppDeps and returns what the job reports. No HTTP: a failure is logged and rethrown, so
 * Lambda's retry (and the next firing) run the idempotent job again.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { toChinaIso } from '../../shared/domain/china-time';
import { NotFoundError } from '../../shared/domain/errors';
import type { AppDeps } from '../../shared/wiring';
import { isJobName, JOBS } from './jobs';

/** What EventBridge and the local scheduler send; the handler takes unknown and reads `job` from it. */
export interface JobEvent {
  job: string;
}

/** The `job` of an event, whatever the event is (undefined when it has none). */
function requestedJob(event: unknown): unknown {
  return typeof event === 'object' && event !== null
    ? (event as Partial<Record<keyof JobEvent, unknown>>).job
    : undefined;
}

export interface JobResult {
  job: string;
  startedAt: string;
  finishedAt: string;
  result: unknown;
}

export const makeHandler = (deps: AppDeps) =>
  middy<unknown, JobResult>()
    .use({
      onError: (request) => {
        deps.logger.error('job failed', { job: requestedJob(request.event), error: request.error });
      },
    })
    .handler(async (event: unknown, context: Context) => {
      const name = requestedJob(event);
      if (typeof name !== 'string' || !isJobName(name)) {
        throw new NotFoundError(`the job ${JSON.stringify(name)} (known: ${Object.keys(JOBS).join(', ')})`);
      }
      const startedAt = toChinaIso(deps.clock.now());
      const budget = {
        remainingMs: () => context.getRemainingTimeInMillis(),
      };
      const result = await JOBS[name](deps, budget);
      const finishedAt = toChinaIso(deps.clock.now());
      deps.logger.info('job done', { job: name, startedAt, result });
      return { job: name, startedAt, finishedAt, result };
    });
