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
 * Cost: the items of the period's months plus the open cases, never the whole table.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { REPORT_CASE_ATTRIBUTES, type Period, type Report, type ReportAccumulator, type ReportCase } from '../domain/reports';
import { monthsBetween } from '../domain/report-months';
import { isConditionFailed } from './dynamo';
import { byMonthPartition, openByDeadlinePartition, reportKeys } from './keys';

/** What one feed read: for the benchmark and the logs. */
export interface FeedStats {
  queries: number;
  pages: number;
  items: number;
  /** Rows skipped because the same case number had already been fed. */
  duplicates: number;
}

/** A ProjectionExpression for attribute paths, every name aliased (status, kind, ... are reserved words). */
export function projection(paths: readonly string[]): Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'> {
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

/** A rating voided on appeal (申诉复核) counts nowhere: the row goes on without it. */
function unvoided(row: ReportCase & { rating?: { voided?: boolean } }): ReportCase {
  return row.rating?.voided ? { ...row, rating: undefined } : row;
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

  /** Every page of a Query, each handed to `onPage` as it arrives. */
  async queryPages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, onPage: (items: Record<string, unknown>[]) => void, stats?: FeedStats): Promise<void> {
    let start: Record<string, unknown> | undefined;
    if (stats) stats.queries++;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }));
      if (stats) stats.pages++;
      onPage((page.Items ?? []) as Record<string, unknown>[]);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Feeds `acc` with every case that can touch `period`, for the given departments (see the file comment). */
  async feedCases(acc: ReportAccumulator, departments: readonly string[], period: Period): Promise<FeedStats> {
    const stats: FeedStats = { queries: 0, pages: 0, items: 0, duplicates: 0 };
    const months = monthsBetween(period.from.slice(0, 7), period.to.slice(0, 7));
    // Case numbers fed so far: the open ones (few) for a month; every one for a longer period,
    // where a case can sit in two months (its own item and a touch).
    const seen = new Set<string>();
    const trackAll = months.length > 1;

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
        (items) => {
          for (const row of items as unknown as ReportCase[]) {
            if (seen.has(row.caseNo)) {
              stats.duplicates++;
              continue;
            }
            seen.add(row.caseNo);
            stats.items++;
            acc.add(unvoided(row));
          }
        },
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
        (items) => {
          for (const row of items as unknown as ReportCase[]) {
            if (seen.has(row.caseNo)) {
              stats.duplicates++;
              continue;
            }
            if (trackAll) seen.add(row.caseNo);
            stats.items++;
            acc.add(unvoided(row));
          }
        },
        stats,
      );
    });
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
