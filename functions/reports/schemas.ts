/** Request schemas of the reports function: they validate requests and describe them in OpenAPI. */
import * as z from 'zod';
import { daysBetween, isCalendarDate } from '../../shared/domain/china-time';

/** The longest on-demand range: two years (every month of it is read per department). */
export const MAX_RANGE_DAYS = 731;

const Format = z
  .enum(['json', 'csv'])
  .default('json')
  .describe('json (default), or csv: UTF-8 with a BOM and Chinese headers, for a spreadsheet');

const ChinaDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');

export const MonthReportQuery = z.object({ format: Format }).strict();
export type MonthReportQuery = z.infer<typeof MonthReportQuery>;

export const RangeReportQuery = z
  .object({
    from: ChinaDate.describe('first China date of the period, YYYY-MM-DD (inclusive)'),
    to: ChinaDate.describe('last China date of the period, YYYY-MM-DD (inclusive)'),
    format: Format,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (!isCalendarDate(q.from) || !isCalendarDate(q.to)) return;
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be on or after from (${q.from})` });
    else if (daysBetween(q.from, q.to) >= MAX_RANGE_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the period can be at most ${MAX_RANGE_DAYS} days` });
  });
export type RangeReportQuery = z.infer<typeof RangeReportQuery>;

/** YYYY-MM, the path parameter of GET /reports/{month}. */
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
