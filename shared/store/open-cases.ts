/**
 * Open cases and review tasks of a department from the sparse `open-by-deadline` index (obdpk
 * DEPT#<code>, obdsk <due>#<caseNo>): what the sweeps, the calendar recomputation and the
 * review repair read. Queries only, page by page; never a Scan.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, CaseStatus } from '../domain/case';
import type { TaskRecord } from '../domain/review';
import { queryAll } from './dynamo';
import { stripKeys } from './keys';

export interface OpenCaseQuery {
  /** Only items whose due date is before this China date (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only cases in this status (a filter on the page, not a key). */
  status?: CaseStatus;
}

type Deps = { db: DynamoDBDocumentClient; tableName: string };

async function openItems(
  deps: Deps,
  department: string,
  entity: 'case' | 'task',
  query: OpenCaseQuery,
): Promise<Record<string, unknown>[]> {
  // Cases and review tasks share the index under the same partition: a filter keeps one kind.
  const values: Record<string, unknown> = { ':p': `DEPT#${department}`, ':e': entity };
  const names: Record<string, string> = { '#e': 'entity' };
  let filter = '#e = :e';
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
  return queryAll(deps.db, {
    TableName: deps.tableName,
    IndexName: 'open-by-deadline',
    KeyConditionExpression: condition,
    FilterExpression: filter,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
}

export async function openCasesOf(deps: Deps, department: string, query: OpenCaseQuery = {}): Promise<CaseRecord[]> {
  return (await openItems(deps, department, 'case', query)).map((i) => stripKeys<CaseRecord>(i));
}

export async function openTasksOf(
  deps: Deps,
  department: string,
  query: Pick<OpenCaseQuery, 'dueBefore'> = {},
): Promise<TaskRecord[]> {
  return (await openItems(deps, department, 'task', query)).map((i) => stripKeys<TaskRecord>(i));
}
