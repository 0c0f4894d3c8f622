/**
 * The admin function: the working-day calendar (administrators store a year; anyone reads it),
 * A/B post presence (AB岗), and the first-inquiry log (首问负责制).
 */
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf } from '../../shared/http/operation';
import { getCalendarYear, putCalendarYear } from '../../shared/usecases/calendar-admin';
import { listInquiries, recordInquiry } from '../../shared/usecases/inquiries';
import { markPresence, postPresence } from '../../shared/usecases/posts';
import { inquiryListView } from '../../shared/domain/inquiry';
import type { AppDeps } from '../../shared/wiring';

export const operations: OperationsOf<'admin', AppDeps> = {
  putCalendarYear: async ({ params, body, actor }, deps) => {
    const { holidays, workdays, source, year, updatedAt, updatedBy, status, recompute } = await putCalendarYear(
      params.year,
      body,
      actor,
      deps,
    );
    deps.logger.info('calendar year stored; open cases to be recomputed', { year, by: updatedBy });
    return {
      status: 202,
      body: { year, status, holidays, workdays, ...(source ? { source } : {}), updatedAt, updatedBy, recompute },
    };
  },

  getCalendarYear: async ({ params }, deps) => ({ body: await getCalendarYear(params.year, deps) }),

  setPresence: async ({ params, body, actor }, deps) => ({
    body: await markPresence(params.post, body, actor, deps),
  }),

  getPresence: async ({ params }, deps) => ({ body: await postPresence(params.post, deps) }),

  recordInquiry: async ({ body, actor }, deps) => {
    const inquiry = await recordInquiry(body, actor, deps);
    return { status: 201, body: inquiryListView(inquiry) };
  },

  listInquiries: async ({ query, actor }, deps) => ({
    body: await listInquiries(actor, query.month, deps),
  }),
};

export const makeHandler = (deps: AppDeps) => httpFunction('admin', operations, deps);
