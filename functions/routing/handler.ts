/** The routing function: the window's pre-review, acceptance, return, same-day completion and decisions; the caller's worklist; a case's history. */
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import {
  acceptCase,
  caseHistory,
  completeCase,
  decideCase,
  returnCase,
  worklistOf,
} from '../../shared/usecases/window';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'routing', AppDeps> = {
  acceptCase: async ({ params, actor }, deps) => ({ body: await acceptCase(params.caseNo, actor, deps) }),
  returnCase: async ({ params, body, actor }, deps) => ({
    body: await returnCase(params.caseNo, body.problems, actor, deps),
  }),
  completeCase: async ({ params, actor }, deps) => ({ body: await completeCase(params.caseNo, actor, deps) }),
  decideCase: async ({ params, body, actor }, deps) => ({ body: await decideCase(params.caseNo, body, actor, deps) }),
  caseHistory: async ({ params, actor }, deps) => ({ body: await caseHistory(params.caseNo, actor, deps) }),
  worklist: async ({ actor }, deps) => ({ body: await worklistOf(actor, deps) }),
};

export const makeHandler = (deps: AppDeps) => httpFunction('routing', operations, deps);
