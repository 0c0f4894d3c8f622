/** The reports function: a month's report (stored, or computed now) and any period's, as JSON or CSV. */
import { routesOf } from '../../infra/routes';
import { ValidationError } from '../../shared/domain/errors';
import { reportToCsv } from '../../shared/domain/report-csv';
import type { Report } from '../../shared/domain/reports';
import { httpFunction, type OperationFn } from '../../shared/http/function';
import type { OperationResponse } from '../../shared/http/types';
import { computeReport, monthReport } from '../../shared/usecases/reports';
import type { AppDeps } from '../../shared/wiring';
import { MONTH_RE, type MonthReportQuery, type RangeReportQuery } from './schemas';

function reply(report: Report, format: 'json' | 'csv', name: string, stored?: boolean): OperationResponse {
  if (format === 'csv') {
    return {
      text: reportToCsv(report),
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="onewindow-report-${name}.csv"`,
      },
    };
  }
  return { body: stored === undefined ? report : { ...report, stored } };
}

export const operations: Record<string, OperationFn<AppDeps>> = {
  monthReport: async ({ params, query }, deps) => {
    const { format } = query as MonthReportQuery;
    if (!MONTH_RE.test(params.month))
      throw new ValidationError([
        { field: 'month', message: `must be a month written YYYY-MM, got "${params.month}"` },
      ]);
    const { report, stored } = await monthReport(params.month, deps);
    return reply(report, format, params.month, stored);
  },

  rangeReport: async ({ query }, deps) => {
    const { from, to, format } = query as RangeReportQuery;
    return reply(await computeReport({ from, to }, deps), format, `${from}_${to}`);
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction(routesOf('reports'), operations, deps);
