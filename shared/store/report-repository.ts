/**
 * What a report reads, with Queries only (a Scan is a bug), page by page into the
 * ReportAccumulator (shared/domain/reports.ts), projecting only REPORT_CASE_ATTRIBUTES; and the
 * stored monthly reports (`REPORT#<yyyy-mm>`).
 *
 * The cases of a period, per department of the catalog:
 *   1. the department's open cases now: one Query on the sparse open-by-deadline index
 *      (open at the end of a past month, and still open, or accepted in it, or received in it);
 *   2. for each month the period covers: one Query on the by-month index, which holds the
 *      cases received in that month and the month touches of cases received earlier that were
 *      accepted, decided, rated or open in it (shared/domain/report-months.ts).
 * A case can come from both (open now and received in the month), and from several months of a
 * longer period: each case number is counted once. The accumulator ignores rows that touch
 * nothing in the period, so reading a little more than needed is safe.
 *
 * Follow-ups and complaints: one by-month Query per month (from DUE_LAG_MONTHS before the
 * period), then the window (post) of the cases they concern by BatchGetItem, so each counts
 * under the window of its case, as the bad rating or the case itself does.
 *
 * Cost: the items of the period's months plus the open cases, never the whole table.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chinaDate } from '../domain/china-time';
import {
  REPORT_CASE_ATTRIBUTES,
  type Period,
  type Report,
  type ReportAccumulator,
  type ReportCase,
  type ReportComplaint,
  type ReportFollowUp,
} from '../domain/reports';
import { monthsBetween, previousMonth } from '../domain/report-months';
import { isConditionFailed, queryPages } from './dynamo';
import { byMonthPartition, keys, monthPartitions, openByDeadlinePartition, reportKeys } from './keys';

/**
 * How many months before the period a follow-up or complaint can have been opened and still
 * fall due in it: their limits are a few weeks (15 working days in Sichuan), so two is ample.
 */
export const DUE_LAG_MONTHS = 2;

/** What one feed read: for the benchmark and the logs. */
export interface FeedStats {
  queries: number;
  pages: number;
  items: number;
  /** Rows skipped because the same case number had already been fed. */
  duplicates: number;
}

/** A ProjectionExpression for attribute paths, every name aliased (status, kind, ... are reserved words). */
export function projection(
  paths: readonly string[],
): Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'> {
  const names: Record<string, string> = {};
  const alias = new Map<string, string>();
  const expr = paths.map((path) =>
    path
      .split('.')
      .map((part) => {
        let a = alias.get(part);
        if (!a) {
          a = `#p${alias.size}`;
          alias.set(part, a);
          names[a] = part;
        }
        return a;
      })
      .join('.'),
  );
  return { ProjectionExpression: expr.join(', '), ExpressionAttributeNames: names };
}

const CASE_PROJECTION = projection(REPORT_CASE_ATTRIBUTES);
const FOLLOW_UP_PROJECTION = projection(['caseNo', 'department', 'post', 'openedAt', 'closedAt', 'due', 'state']);
const COMPLAINT_PROJECTION = projection([
  'caseNo',
  'department',
  'handlingDepartment',
  'post',
  'receivedAt',
  'answeredAt',
  'due',
]);
const CASE_POST_PROJECTION = projection(['caseNo', 'post']);

/** A follow-up or complaint with the window of its case, when it has none of its own. */
function withPost<T extends { caseNo?: string; post?: string }>(row: T, posts: ReadonlyMap<string, string>): T {
  if (row.post || !row.caseNo) return row;
  const post = posts.get(row.caseNo);
  return post ? { ...row, post } : row;
}
const INQUIRY_PROJECTION = projection(['at', 'staff']);
const HANDOVER_PROJECTION = projection(['at', 'post']);

/** The months whose follow-ups or complaints can touch the period: DUE_LAG_MONTHS before it, to its end. */
function lagMonths(period: Period): string[] {
  let from = period.from.slice(0, 7);
  for (let i = 0; i < DUE_LAG_MONTHS; i++) from = previousMonth(from);
  return monthsBetween(from, period.to.slice(0, 7));
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class ReportRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Departments queried at once; DynamoDB serves partitions in parallel. */
    private readonly concurrency = 4,
  ) {}

  /** Every page of a Query (dynamo.ts's loop), each handed to `onPage` as it arrives. */
  private async queryPages(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    onPage: (items: Record<string, unknown>[]) => void,
    stats?: FeedStats,
  ): Promise<void> {
    if (stats) stats.queries++;
    for await (const page of queryPages(this.db, { ...input, TableName: this.tableName })) {
      if (stats) stats.pages++;
      onPage(page);
    }
  }

  /** Feeds `acc` with every case that can touch `period`, for the given departments (see the file comment). */
  async feedCases(acc: ReportAccumulator, departments: readonly string[], period: Period): Promise<FeedStats> {
    const stats: FeedStats = { queries: 0, pages: 0, items: 0, duplicates: 0 };
    const months = monthsBetween(period.from.slice(0, 7), period.to.slice(0, 7));
    // Case numbers fed so far: the open ones (few) for a month; every one for a longer period,
    // where a case can sit in two months (its own item and a touch).
    const seen = new Set<string>();
    const trackAll = months.length > 1;
    /** A page handler that feeds each case number once, remembering them when `track`. */
    const feed = (track: boolean) => (items: Record<string, unknown>[]) => {
      for (const row of items as unknown as ReportCase[]) {
        if (seen.has(row.caseNo)) {
          stats.duplicates++;
          continue;
        }
        if (track) seen.add(row.caseNo);
        stats.items++;
        acc.add(row);
      }
    };

    await eachLimited(departments, this.concurrency, async (department) => {
      await this.queryPages(
        {
          IndexName: 'open-by-deadline',
          KeyConditionExpression: 'obdpk = :p',
          FilterExpression: '#entity = :case',
          ...CASE_PROJECTION,
          ExpressionAttributeNames: { ...CASE_PROJECTION.ExpressionAttributeNames, '#entity': 'entity' },
          ExpressionAttributeValues: { ':p': openByDeadlinePartition(department), ':case': 'case' },
        },
        feed(true),
        stats,
      );
    });

    const partitions = departments.flatMap((d) => months.map((m) => byMonthPartition(d, m)));
    await eachLimited(partitions, this.concurrency, async (bmpk) => {
      await this.queryPages(
        {
          IndexName: 'by-month',
          KeyConditionExpression: 'bmpk = :p',
          FilterExpression: '#entity IN (:case, :touch)',
          ...CASE_PROJECTION,
          ExpressionAttributeNames: { ...CASE_PROJECTION.ExpressionAttributeNames, '#entity': 'entity' },
          ExpressionAttributeValues: { ':p': bmpk, ':case': 'case', ':touch': 'month-touch' },
        },
        feed(trackAll),
        stats,
      );
    });
    return stats;
  }

  /**
   * Feeds the bad-rating follow-ups opened or due in the period: one Query on the by-month
   * index per month from DUE_LAG_MONTHS before the period to its end (no personal data
   * projected). Each counts under the window of its case (casePosts).
   */
  async feedFollowUps(acc: ReportAccumulator, period: Period): Promise<FeedStats> {
    const rows: (ReportFollowUp & { caseNo?: string })[] = [];
    const stats = await this.feedLagMonths(period, monthPartitions.followUpsOpened, FOLLOW_UP_PROJECTION, (items) => {
      rows.push(...(items as unknown as (ReportFollowUp & { caseNo?: string })[]));
    });
    const posts = await this.casePosts(rows, stats);
    for (const f of rows) acc.addFollowUp(withPost(f, posts));
    return stats;
  }

  /**
   * Feeds the complaints received or due in the period, as for follow-ups (who, contact and
   * text are not read); a complaint about a case counts under that case's window.
   */
  async feedComplaints(acc: ReportAccumulator, period: Period): Promise<FeedStats> {
    const rows: (ReportComplaint & { caseNo?: string })[] = [];
    const stats = await this.feedLagMonths(
      period,
      monthPartitions.complaintsReceived,
      COMPLAINT_PROJECTION,
      (items) => {
        rows.push(...(items as unknown as (ReportComplaint & { caseNo?: string })[]));
      },
    );
    const posts = await this.casePosts(rows, stats);
    for (const c of rows) acc.addComplaint(withPost(c, posts));
    return stats;
  }

  /**
   * The window (post) of each case that rows without a post of their own name: BatchGetItem on
   * the case items, 100 keys a request, projecting caseNo and post only. Its cost grows with the
   * follow-ups and complaints of the period, not with the cases. A case number that names no
   * case (a complaint keeps what was typed) has no window.
   */
  private async casePosts(
    rows: readonly { caseNo?: string; post?: string }[],
    stats: FeedStats,
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(rows.filter((r) => !r.post && r.caseNo).map((r) => r.caseNo as string))];
    const posts = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += 100) {
      let request: BatchGetCommandInput['RequestItems'] = {
        [this.tableName]: {
          Keys: wanted.slice(i, i + 100).map((caseNo) => keys.case(caseNo)),
          ...CASE_POST_PROJECTION,
        },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        stats.queries++;
        const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of (out.Responses?.[this.tableName] ?? []) as { caseNo?: string; post?: string }[]) {
          if (item.caseNo && item.post) posts.set(item.caseNo, item.post);
        }
        request = out.UnprocessedKeys;
      }
    }
    return posts;
  }

  /** One by-month Query per month of `lagMonths(period)`, on the partition `partition(month)`. */
  private async feedLagMonths(
    period: Period,
    partition: (month: string) => string,
    projected: ReturnType<typeof projection>,
    onPage: (items: Record<string, unknown>[]) => void,
  ): Promise<FeedStats> {
    const stats: FeedStats = { queries: 0, pages: 0, items: 0, duplicates: 0 };
    for (const month of lagMonths(period)) {
      await this.queryPages(
        {
          IndexName: 'by-month',
          KeyConditionExpression: 'bmpk = :p',
          ...projected,
          ExpressionAttributeValues: { ':p': partition(month) },
        },
        (items) => {
          stats.items += items.length;
          onPage(items);
        },
        stats,
      );
    }
    return stats;
  }

  /**
   * Feeds the first inquiries logged (首问登记) and the A/B handovers (AB岗交接) in the period,
   * per department and window: one Query per department and month on each log
   * (INQUIRIES#<dept>#<month>, HANDOVERS#<dept>#<month>), counted by the China date of `at`.
   * An inquiry counts for the window whose A or B person logged it (`postOf`).
   */
  async feedServiceCounts(
    acc: ReportAccumulator,
    departments: readonly string[],
    period: Period,
    postOf: (staff: string) => string | undefined,
  ): Promise<FeedStats> {
    const stats: FeedStats = { queries: 0, pages: 0, items: 0, duplicates: 0 };
    const months = monthsBetween(period.from.slice(0, 7), period.to.slice(0, 7));
    const counts = new Map<string, { department: string; post?: string; inquiries: number; handovers: number }>();
    const bump = (department: string, post: string | undefined, what: 'inquiries' | 'handovers') => {
      const key = `${department}|${post ?? ''}`;
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { department, post, inquiries: 0, handovers: 0 }));
      c[what]++;
    };
    const inPeriod = (at: string) => {
      const d = chinaDate(at);
      return d >= period.from && d <= period.to;
    };
    const jobs = departments.flatMap((d) => months.map((m) => ({ d, m })));
    await eachLimited(jobs, this.concurrency, async ({ d, m }) => {
      await this.queryPages(
        {
          KeyConditionExpression: 'pk = :p',
          ...INQUIRY_PROJECTION,
          ExpressionAttributeValues: { ':p': keys.inquiryMonth(d, m) },
        },
        (items) => {
          for (const i of items as { at: string; staff: string }[]) {
            if (!inPeriod(i.at)) continue;
            stats.items++;
            bump(d, postOf(i.staff), 'inquiries');
          }
        },
        stats,
      );
      await this.queryPages(
        {
          KeyConditionExpression: 'pk = :p',
          ...HANDOVER_PROJECTION,
          ExpressionAttributeValues: { ':p': keys.handoverMonth(d, m) },
        },
        (items) => {
          for (const h of items as { at: string; post?: string }[]) {
            if (!inPeriod(h.at)) continue;
            stats.items++;
            bump(d, h.post, 'handovers');
          }
        },
        stats,
      );
    });
    for (const c of counts.values()) acc.addServiceCounts(c);
    return stats;
  }

  /** The stored report of a month, if the monthly job (or a read after the month ended) stored one. */
  async stored(month: string): Promise<Report | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: reportKeys.report(month) }));
    return out.Item ? (out.Item.report as Report) : undefined;
  }

  /**
   * Stores a month's report. `replace: false` keeps one already there (returns false): a read
   * that computed a finished month stores it only when the job has not.
   */
  async store(month: string, report: Report, options: { replace: boolean }): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...reportKeys.report(month), entity: 'report', month, generatedAt: report.generatedAt, report },
          ...(options.replace ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
