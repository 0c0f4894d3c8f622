/**
 * Open cases of a department from the sparse `open-by-deadline` index (obdpk DEPT#<code>,
 * obdsk <due>#<caseNo>): what the sweeps and the calendar recomputation read. Queries only,
 * page by page; never a Scan.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, CaseStatus } from '../domain/case';
import { stripKeys } from './keys';

export interface OpenCaseQuery {
  /** Only cases whose due date is before this China date (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only cases in this status (a filter on the page, not a key). */
  status?: CaseStatus;
}

export async function openCasesOf(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  department: string,
  query: OpenCaseQuery = {},
): Promise<CaseRecord[]> {
  const out: CaseRecord[] = [];
  let start: Record<string, unknown> | undefined;
  // Review tasks share the index under the same partition: keep the cases.
  const values: Record<string, unknown> = { ':p': `DEPT#${department}`, ':case': 'case' };
  const names: Record<string, string> = { '#e': 'entity' };
  let filter = '#e = :case';
  let condition = 'obdpk = :p';
  if (query.dueBefore) {
    condition += ' AND obdsk < :before';
    values[':before'] = query.dueBefore;
  }
  if (query.status) {
    names['#s'] = 'status';
    values[':s'] = query.status;
    filter += ' AND #s = :s';
  }
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: 'open-by-deadline',
        KeyConditionExpression: condition,
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(stripKeys<CaseRecord>(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
