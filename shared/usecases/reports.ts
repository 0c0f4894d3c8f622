/**
 * Compliance reports (统计报表): a period's figures from the store, the monthly report with the
 * window ranking, and the monthly job that stores the previous month's report.
 *
 * The math is shared/domain/reports.ts; what is read, and how, is shared/store/report-repository.ts:
 * the cases (by-month and open-by-deadline), the bad-rating follow-ups and complaints (by-month,
 * under the month they were opened), the first-inquiry log and the A/B handovers (per department
 * and month). Queries only.
 */
import type { Clock } from '../adapters/ports';
import type { Catalog } from '../domain/catalog';
import { chinaDate, chinaMonth, toChinaIso } from '../domain/china-time';
import { previousMonth } from '../domain/report-months';
import {
  monthPeriod,
  ReportAccumulator,
  validatePeriod,
  type Period,
  type Ranking,
  type Report,
} from '../domain/reports';
import type { FeedStats, ReportRepository } from '../store/report-repository';

export interface ReportSettings {
  /** How many windows are red-flag windows (红旗窗口) each month; default 3. */
  redFlagCount?: number;
}

export interface ReportDeps {
  reports: ReportRepository;
  catalog: Catalog;
  clock: Clock;
  reportSettings?: ReportSettings;
}

/** The report of any period, computed now from the store. */
export async function computeReport(
  period: Period,
  deps: ReportDeps,
  options: { previousRanking?: Pick<Ranking, 'last'>; stats?: (s: FeedStats) => void } = {},
): Promise<Report> {
  const checked = validatePeriod(period);
  const acc = new ReportAccumulator(checked);
  const departments = deps.catalog.departments().map((d) => d.code);
  const postOfStaff = new Map(
    deps.catalog.departments().flatMap((d) => d.posts.flatMap((p) => [[p.a, p.code] as const, [p.b, p.code] as const])),
  );
  const [cases] = await Promise.all([
    deps.reports.feedCases(acc, departments, checked),
    deps.reports.feedFollowUps(acc, checked),
    deps.reports.feedComplaints(acc, checked),
    deps.reports.feedServiceCounts(acc, departments, checked, (staff) => postOfStaff.get(staff)),
  ]);
  options.stats?.(cases);
  return acc.result({
    generatedAt: toChinaIso(deps.clock.now()),
    redFlagCount: deps.reportSettings?.redFlagCount,
    previousRanking: options.previousRanking,
  });
}

/** A month has ended when today (China date) is after its last day; only then is its report final. */
export function monthHasEnded(month: string, now: Date): boolean {
  return chinaDate(now) > monthPeriod(month).to;
}

/** Last month's ranking: the stored report's, else computed now. */
async function previousRanking(month: string, deps: ReportDeps): Promise<Ranking> {
  const before = previousMonth(month);
  const stored = await deps.reports.stored(before);
  return stored?.ranking ?? (await computeReport(monthPeriod(before), deps)).ranking;
}

/** The report of a month, with the note of windows last two months running. */
export async function computeMonthReport(month: string, deps: ReportDeps): Promise<Report> {
  const period = monthPeriod(month);
  return computeReport(period, deps, { previousRanking: await previousRanking(month, deps) });
}

/**
 * GET /reports/{month}: the stored report if there is one; else computed now. A finished month's
 * report computed here is stored too (unless the job got there first), so it is computed once.
 */
export async function monthReport(month: string, deps: ReportDeps): Promise<{ report: Report; stored: boolean }> {
  monthPeriod(month); // validates the month before anything is read
  const stored = await deps.reports.stored(month);
  if (stored) return { report: stored, stored: true };
  const report = await computeMonthReport(month, deps);
  if (monthHasEnded(month, deps.clock.now())) await deps.reports.store(month, report, { replace: false });
  return { report, stored: false };
}

/**
 * The monthly job (1st of the month, 01:00 China time): computes the previous month's report
 * and stores it as `REPORT#<yyyy-mm>`. Idempotent: when that month is stored already (an
 * earlier firing, a retry, or a read after the month ended), it does nothing; the local
 * scheduler fires it every hour. The month is the one before today's (China date of deps.clock),
 * whenever it fires.
 */
export async function runMonthlyReport(deps: ReportDeps): Promise<{
  month: string;
  stored: boolean;
  generatedAt?: string;
  redFlags?: string[];
  lastTwoMonthsRunning?: string[];
}> {
  const month = previousMonth(chinaMonth(deps.clock.now()));
  if (await deps.reports.stored(month)) return { month, stored: false };
  const report = await computeMonthReport(month, deps);
  const stored = await deps.reports.store(month, report, { replace: false });
  return {
    month,
    stored,
    generatedAt: report.generatedAt,
    redFlags: report.ranking.redFlags,
    lastTwoMonthsRunning: report.ranking.lastTwoMonthsRunning,
  };
}
