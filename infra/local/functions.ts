/** The handlers the local runtime serves: the same makeHandler each Lambda entry (functions/<name>/lambda.ts) calls. */
import type { Context } from 'aws-lambda';
import type { FunctionName } from '../routes';
import type { AppDeps } from '../../shared/wiring';
import * as catalog from '../../functions/catalog/handler';
import * as submission from '../../functions/submission/handler';
import * as routing from '../../functions/routing/handler';
import * as admin from '../../functions/admin/handler';
import * as jobs from '../../functions/jobs/handler';
import * as feedback from '../../functions/feedback/handler';
import * as notify from '../../functions/notify/handler';
import * as review from '../../functions/review/handler';
import * as reports from '../../functions/reports/handler';
import * as supervision from '../../functions/supervision/handler';
import { runAsFunction } from '../../shared/adapters/capabilities';

/** The Lambda context as far as the local runtime fills it in. */
export type LocalContext = Partial<Context>;

/**
 * A function's handler as the local runtime holds it. Each is invoked with the event its own
 * function receives (an API Gateway request, `{ job }`, a bus event, a task payload) and
 * checks it; the method form below keeps a handler typed for its own event assignable here.
 */
interface LocalHandlerShape {
  invoke(event: unknown, context: LocalContext): Promise<unknown>;
}
export type LocalHandler = LocalHandlerShape['invoke'];

export type HandlerFactory = (deps: AppDeps) => LocalHandler;

const FACTORIES: Record<FunctionName, HandlerFactory> = {
  catalog: catalog.makeHandler,
  submission: submission.makeHandler,
  routing: routing.makeHandler,
  admin: admin.makeHandler,
  jobs: jobs.makeHandler,
  feedback: feedback.makeHandler,
  notify: notify.makeHandler,
  review: review.makeHandler,
  reports: reports.makeHandler,
  supervision: supervision.makeHandler,
};

/** Each handler runs as its function: its ports refuse what infra/permissions.ts does not give it, as IAM would in AWS. */
export const LOCAL_FUNCTIONS = Object.fromEntries(
  Object.entries(FACTORIES).map(([name, make]) => [
    name,
    (deps: AppDeps): LocalHandler => {
      const fn = name as FunctionName;
      const handler = runAsFunction(fn, () => make(deps));
      return (event, context) => runAsFunction(fn, () => handler(event, context));
    },
  ]),
) as Record<FunctionName, HandlerFactory>;
