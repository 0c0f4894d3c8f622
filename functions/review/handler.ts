/**
 * The review function: the only one that answers the state machine's task tokens. It serves
 * the Task states of infra/workflow/review.asl.json (open-task, notice-until, consolidate),
 * a department's decision over HTTP (POST /tasks/{taskId}/decision), and two scheduled jobs:
 * timeout default for overdue tasks, and starting the review of any case in review whose
 * execution was never started (acceptance saved, then the start failed).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../shared/http/types';
import type { TaskPayload } from '../../shared/adapters/workflow';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import {
  applyTaskTimeouts,
  consolidateCase,
  decideTask,
  fileTaskOpinion,
  noticeUntil,
  openTask,
  resumeReviews,
} from '../../shared/usecases/review';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'review', AppDeps> = {
  decideTask: async ({ params, body, actor }, deps) => ({ body: await decideTask(params.taskId, body, actor, deps) }),
  fileOpinion: async ({ params, body, actor }, deps) => ({
    body: await fileTaskOpinion(params.taskId, body.opinion, actor, deps),
  }),
};

export type ReviewEvent = TaskPayload | { job: 'task-timeouts' | 'resume-reviews' } | { routeKey: string };

export function makeHandler(deps: AppDeps) {
  const http = httpFunction('review', operations, deps);
  type TaskEvent = TaskPayload | { job: string };
  const onError = (request: middy.Request<TaskEvent>): void => {
    deps.logger.error('review task failed', {
      event: 'action' in request.event ? request.event.action : request.event.job,
      error: request.error,
    });
  };
  const tasks = middy<TaskEvent>({ timeoutEarlyInMillis: 0 })
    .use({ onError })
    .handler(async (event: TaskEvent, context: Context) => {
      if ('job' in event) {
        const budget = { remainingMs: () => context.getRemainingTimeInMillis() };
        if (event.job === 'task-timeouts') return applyTaskTimeouts(deps, budget);
        if (event.job === 'resume-reviews') return { resumed: await resumeReviews(deps, budget) };
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
  return (event: ReviewEvent, context: Context) =>
    'routeKey' in event ? http(event as HttpEvent, context) : tasks(event, context);
}
