/**
 * The review function: the only one that answers the state machine's task tokens. It serves
 * the Task states of infra/workflow/review.asl.json (open-task, notice-until, consolidate),
 * a department's decision over HTTP (POST /tasks/{taskId}/decision), and two scheduled jobs:
 * timeout default for overdue tasks, and starting the review of any case in review whose
 * execution was never started (acceptance saved, then the start failed).
 */
import middy from '@middy/core';
import type { TaskPayload } from '../../shared/adapters/workflow';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import {
  applyTaskTimeouts,
  consolidateCase,
  decideTask,
  noticeUntil,
  openTask,
  resumeReviews,
} from '../../shared/usecases/review';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'review', AppDeps> = {
  decideTask: async ({ params, body, actor }, deps) => ({ body: await decideTask(params.taskId, body, actor, deps) }),
};

export type ReviewEvent = TaskPayload | { job: 'task-timeouts' | 'resume-reviews' } | { routeKey: string };

export function makeHandler(deps: AppDeps) {
  const http = httpFunction('review', operations, deps);
  const tasks = middy<TaskPayload | { job: string }, unknown>({ timeoutEarlyInMillis: 0 })
    .use({
      onError: async (request) => {
        deps.logger.error('review task failed', {
          event: 'action' in request.event ? request.event.action : request.event.job,
          error: request.error,
        });
      },
    })
    .handler(async (event) => {
      if ('job' in event) {
        if (event.job === 'task-timeouts') return applyTaskTimeouts(deps);
        if (event.job === 'resume-reviews') return { resumed: await resumeReviews(deps) };
        throw new Error(`the review function has no job ${event.job}`);
      }
      switch (event.action) {
        case 'open-task':
          return openTask(event, deps);
        case 'notice-until':
          return noticeUntil(event, deps);
        case 'consolidate':
          return consolidateCase(event, deps);
        default:
          throw new Error(`unknown review task action ${(event as { action?: string }).action}`);
      }
    });
  return (event: any, context: any) => ('routeKey' in event ? http(event, context) : tasks(event, context));
}
