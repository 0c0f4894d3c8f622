/** The handlers the local runtime serves: the same makeHandler each Lambda entry (functions/<name>/lambda.ts) calls. */
import type { FunctionName } from '../routes';
import type { AppDeps } from '../../shared/wiring';
import * as catalog from '../../functions/catalog/handler';
import * as submission from '../../functions/submission/handler';
import * as routing from '../../functions/routing/handler';
import * as feedback from '../../functions/feedback/handler';
import * as notify from '../../functions/notify/handler';

export type HandlerFactory = (deps: AppDeps) => (event: any, context: any) => Promise<any>;

export const LOCAL_FUNCTIONS: Record<FunctionName, HandlerFactory> = {
  catalog: catalog.makeHandler,
  submission: submission.makeHandler,
  routing: routing.makeHandler,
  feedback: feedback.makeHandler,
  notify: notify.makeHandler,
};
