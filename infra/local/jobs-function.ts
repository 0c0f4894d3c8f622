/**
 * The local-only function `local-jobs`: POST /_local/jobs/{job} (admin token) runs a
 * scheduled job now, through the same jobs function the schedules invoke. Never deployed.
 */
import { routesOf } from '../routes';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import type { AppDeps } from '../../shared/wiring';
import type { LocalScheduler } from './scheduler';

export function makeLocalJobsHandler(deps: AppDeps, scheduler: Pick<LocalScheduler, 'runNow'>) {
  const operations: Record<string, OperationFn<AppDeps>> = {
    runJob: async ({ params }) => ({ body: await scheduler.runNow(params.job) }),
  };
  return httpFunction(routesOf('local-jobs'), operations, deps);
}
