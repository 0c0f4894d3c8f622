/** The submission function: applicants submit and follow their cases; window staff register walk-ins. */
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { caseProgress, supplementCase, withdrawCase } from '../../shared/usecases/applicant';
import { submitCase } from '../../shared/usecases/submit-case';
import { myCases, requestCaseCode, requestPhoneCode } from '../../shared/usecases/one-time-codes';
import { ONE_TIME_CODE_HEADER } from '../../shared/domain/one-time-code';
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
    body: await caseProgress(params.caseNo, { ...codes(headers), staff: actor }, deps),
  }),
  supplementCase: async ({ params, body, headers }, deps) => ({
    body: await supplementCase(params.caseNo, { ...body, ...codes(headers) }, deps),
  }),
  withdrawCase: async ({ params, body, headers }, deps) => ({
    body: await withdrawCase(params.caseNo, { ...body, ...codes(headers) }, deps),
  }),
  requestCaseCode: async ({ params }, deps) => ({
    status: 202,
    body: await requestCaseCode(params.caseNo, deps),
  }),
  requestPhoneCode: async ({ body }, deps) => ({
    status: 202,
    body: await requestPhoneCode(body.phone, deps),
  }),
  myCases: async ({ body, headers }, deps) => ({
    body: await myCases(body.phone, headers[ONE_TIME_CODE_HEADER], deps),
  }),
};

/** The applicant's codes from their headers (never the URL): the query code and a one-time code. */
function codes(headers: Record<string, string | undefined>) {
  return { queryCode: headers['x-query-code'], oneTimeCode: headers[ONE_TIME_CODE_HEADER] };
}

export const makeHandler = (deps: AppDeps) => httpFunction('submission', operations, deps);
