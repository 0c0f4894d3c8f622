/** The submission function: applicants submit and follow their cases; window staff register walk-ins. */
import { routesOf } from '../../infra/routes';
import { NotFoundError } from '../../shared/domain/errors';
import { clockView, phoneMatches, progressView, staffView } from '../../shared/domain/views';
import { supplement, withdraw } from '../../shared/domain/lifecycle';
import { actOnCase } from '../../shared/usecases/case-actions';
import { reopenReturnedTasks } from '../../shared/usecases/review';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import { submitCase } from '../../shared/usecases/submit-case';
import type { AppDeps } from '../../shared/wiring';
import type { SubmitCaseBody } from './schemas';

export const operations: Record<string, OperationFn<AppDeps>> = {
  submitCase: async ({ body, headers, actor }, deps) => {
    const input = body as SubmitCaseBody;
    const { created, record } = await submitCase(input, { actor, idempotencyKey: headers['idempotency-key'] }, deps);
    deps.logger.info(created ? 'case received' : 'case replayed', {
      caseNo: record.caseNo,
      status: record.status,
      channel: record.channel,
    });
    return {
      status: created ? 201 : 200,
      headers: { location: `/cases/${record.caseNo}` },
      body: {
        caseNo: record.caseNo,
        status: record.status,
        receivedAt: record.receivedAt,
        ...(record.notice ? { notice: record.notice } : {}),
      },
    };
  },

  getProgress: async ({ params, query, actor }, { cases, catalog, calendar, clock }) => {
    const record = await cases.get(params.caseNo);
    // One answer for "no such case" and "wrong phone digits": case numbers cannot be probed.
    const notFound = new NotFoundError(`case ${params.caseNo} with those phone digits`);
    if (!record) throw notFound;
    const staff = actor && actor.department === record.department;
    if (!staff && !phoneMatches(record, (query as { phone?: string }).phone)) throw notFound;
    const time = clockView(record, catalog.item(record.itemCode), await calendar.current(), clock.now());
    return { body: staff ? staffView(record, time) : progressView(record, time) };
  },

  supplementCase: async ({ params, body }, deps) => {
    const { after } = await actOnCase(
      params.caseNo,
      { applicantPhoneLast4: body.phone },
      (c, ctx) => supplement(c, body.materials, ctx),
      deps,
    );
    await reopenReturnedTasks(after, deps);
    return { body: { caseNo: after.caseNo, status: after.status, ...(after.notice ? { notice: after.notice } : {}) } };
  },

  withdrawCase: async ({ params, body }, deps) => {
    const { after } = await actOnCase(
      params.caseNo,
      { applicantPhoneLast4: body.phone },
      (c, ctx) => withdraw(c, ctx, body.note),
      deps,
    );
    return { body: { caseNo: after.caseNo, status: after.status } };
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('submission'), operations, deps);
