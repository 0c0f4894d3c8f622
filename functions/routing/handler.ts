/** The routing function: the window's pre-review, acceptance, return, same-day completion and decisions; the caller's worklist; a case's history. */
import { routesOf } from '../../infra/routes';
import { NotFoundError } from '../../shared/domain/errors';
import { accept, completeInstant, decide, returnForSupplement } from '../../shared/domain/lifecycle';
import { clockView } from '../../shared/domain/views';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import { actOnCase, itemOf } from '../../shared/usecases/case-actions';
import { afterAcceptance } from '../../shared/usecases/review';
import { worklistOf } from '../../shared/usecases/worklist';
import type { AppDeps } from '../../shared/wiring';
import { assertSameDepartment } from '../../shared/domain/lifecycle';

export const operations: Record<string, OperationFn<AppDeps>> = {
  acceptCase: async ({ params, actor }, deps) => {
    const { after } = await actOnCase(params.caseNo, { staff: actor! }, accept, deps);
    await afterAcceptance(after, deps);
    return { body: await receipt(after, deps) };
  },

  returnCase: async ({ params, body, actor }, deps) => {
    const { after } = await actOnCase(
      params.caseNo,
      { staff: actor! },
      (c, ctx) => returnForSupplement(c, body.problems, ctx),
      deps,
    );
    return { body: { caseNo: after.caseNo, status: after.status, notice: after.notice } };
  },

  completeCase: async ({ params, actor }, deps) => {
    const { after } = await actOnCase(params.caseNo, { staff: actor! }, completeInstant, deps);
    await deps.afterDecision(after);
    return { body: await receipt(after, deps) };
  },

  decideCase: async ({ params, body, actor }, deps) => {
    const { after } = await actOnCase(params.caseNo, { staff: actor! }, (c, ctx) => decide(c, body, ctx), deps);
    await deps.afterDecision(after);
    return {
      body: { caseNo: after.caseNo, status: after.status, decidedAt: after.decidedAt, decision: after.decision },
    };
  },

  caseHistory: async ({ params, actor }, { cases }) => {
    const c = await cases.get(params.caseNo);
    if (!c) throw new NotFoundError(`case ${params.caseNo}`);
    assertSameDepartment(c, actor!);
    return { body: { caseNo: c.caseNo, status: c.status, history: c.history, pauses: c.pauses } };
  },

  worklist: async ({ actor }, deps) => ({ body: await worklistOf(actor!, deps) }),
};

async function receipt(c: Parameters<typeof clockView>[0], deps: AppDeps) {
  const clock = clockView(c, itemOf(c, deps.catalog), await deps.calendar.current(), deps.clock.now());
  return {
    caseNo: c.caseNo,
    itemCode: c.itemCode,
    itemName: c.itemName,
    status: c.status,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    decidedAt: c.decidedAt,
    ...clock,
  };
}

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('routing'), operations, deps);
