/** The submission function: applicants submit and follow their cases; window staff register walk-ins. */
import { routesOf } from '../../infra/routes';
import { NotFoundError } from '../../shared/domain/errors';
import { phoneMatches, progressView, staffView } from '../../shared/domain/views';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import { submitCase } from '../../shared/usecases/submit-case';
import type { AppDeps } from '../../shared/wiring';
import type { SubmitCaseBody } from './schemas';

export const operations: Record<string, OperationFn<AppDeps>> = {
  submitCase: async ({ body, headers, actor }, deps) => {
    const input = body as SubmitCaseBody;
    const { created, record } = await submitCase(input, { actor, idempotencyKey: headers['idempotency-key'] }, deps);
    deps.logger.info(created ? 'case received' : 'case replayed', { caseNo: record.caseNo, status: record.status, channel: record.channel });
    return {
      status: created ? 201 : 200,
      headers: { location: `/cases/${record.caseNo}` },
      body: { caseNo: record.caseNo, status: record.status, receivedAt: record.receivedAt, ...(record.notice ? { notice: record.notice } : {}) },
    };
  },

  getProgress: async ({ params, query, actor }, { cases }) => {
    const record = await cases.get(params.caseNo);
    // One answer for "no such case" and "wrong phone digits": case numbers cannot be probed.
    const notFound = new NotFoundError(`case ${params.caseNo} with those phone digits`);
    if (!record) throw notFound;
    if (actor && actor.department === record.department) return { body: staffView(record) };
    if (!phoneMatches(record, (query as { phone?: string }).phone)) throw notFound;
    return { body: progressView(record) };
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('submission'), operations, deps);
