/**
 * The local-only function `local-jobs`: POST /_local/jobs/{job} (admin token) runs a
 * scheduled job now, through the same jobs function the schedules invoke. Never deployed.
 */
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import type { AppDeps } from '../../shared/wiring';
import type { LocalScheduler } from './scheduler';

export function makeLocalJobsHandler(deps: AppDeps, scheduler: Pick<LocalScheduler, 'runNow'>) {
  const operations: OperationsOf<'local-jobs', AppDeps> = {
    runJob: async ({ params }) => ({ body: await scheduler.runNow(params.job) }),
  };
  return httpFunction('local-jobs', operations, deps);
}
