/** The reports function: a month's report (stored, or computed now) and any period's, as JSON or CSV. */
import { reportToCsv } from '../../shared/domain/report-csv';
import type { Report } from '../../shared/domain/reports';
import { httpFunction } from '../../shared/http/function';
import type { OperationsOf, ResultOf, RouteOf } from '../../shared/http/operation';
import { computeReport, monthReport } from '../../shared/usecases/reports';
import type { AppDeps } from '../../shared/wiring';

function reply(report: Report, format: 'json' | 'csv', name: string, stored?: boolean): ResultOf<RouteOf<'reports'>> {
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

export const operations: OperationsOf<'reports', AppDeps> = {
  monthReport: async ({ params, query }, deps) => {
    const { report, stored } = await monthReport(params.month, deps);
    return reply(report, query.format, params.month, stored);
  },

  rangeReport: async ({ query }, deps) => {
    const { from, to, format } = query;
    return reply(await computeReport({ from, to }, deps), format, `${from}_${to}`);
  },
};

export const makeHandler = (deps: AppDeps) => httpFunction('reports', operations, deps);
