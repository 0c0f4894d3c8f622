/** The submission function: applicants submit and follow their cases; window staff register walk-ins. */
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { caseProgress, supplementCase, withdrawCase } from '../../shared/usecases/applicant';
import { submitCase } from '../../shared/usecases/submit-case';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'submission', AppDeps> = {
  submitCase: async ({ body, headers, actor }, deps) => {
    const { created, record, queryCode } = await submitCase(
      body,
      { actor, idempotencyKey: headers['idempotency-key'] },
      deps,
    );
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
        ...(queryCode ? { queryCode } : {}),
        ...(record.notice ? { notice: record.notice } : {}),
      },
    };
  },
  getProgress: async ({ params, headers, actor }, deps) => ({
    body: await caseProgress(params.caseNo, { queryCode: headers['x-query-code'], staff: actor }, deps),
  }),
  supplementCase: async ({ params, body, headers }, deps) => ({
    body: await supplementCase(params.caseNo, { ...body, queryCode: headers['x-query-code'] }, deps),
  }),
  withdrawCase: async ({ params, body, headers }, deps) => ({
    body: await withdrawCase(params.caseNo, { ...body, queryCode: headers['x-query-code'] }, deps),
  }),
};

export const makeHandler = (deps: AppDeps) => httpFunction('submission', operations, deps);
