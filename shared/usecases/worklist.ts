/**
 * What waits for a staff member, by due date: the cases assigned to them (A/B posts), the
 * department's unassigned ones, and (for reviewers) the department's review tasks. Two
 * Queries on the worklist index; no Scan.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../store/dynamo';
import type { Actor } from '../domain/case';
import { NEVER } from '../store/keys';

export interface WorklistEntry {
  kind: 'case' | 'task';
  caseNo: string;
  department: string;
  status: string;
  due: string | null;
  itemCode?: string;
  taskId?: string;
  stage?: number;
  assignee?: string;
}

export async function worklistOf(actor: Actor, deps: { db: DynamoDBDocumentClient; tableName: string }) {
  const partitions = [`STAFF#${actor.id}`, `DEPT#${actor.department}`];
  const pages = await Promise.all(partitions.map((p) => queryWorklist(deps, p)));
  const entries: WorklistEntry[] = pages.flat().map((i) => ({
    kind: i.entity === 'task' ? 'task' : 'case',
    caseNo: i.caseNo as string,
    department: i.department as string,
    status: i.status as string,
    due: (i.wlsk as string).split('#')[0] === NEVER ? null : (i.wlsk as string).split('#')[0],
    ...(i.itemCode ? { itemCode: i.itemCode as string } : {}),
    ...(i.taskId ? { taskId: i.taskId as string, stage: i.stage as number } : {}),
    ...(i.assignee ? { assignee: i.assignee as string } : {}),
  }));
  entries.sort((a, b) => (a.due ?? NEVER).localeCompare(b.due ?? NEVER) || a.caseNo.localeCompare(b.caseNo));
  return {
    cases: entries.filter((e) => e.kind === 'case'),
    tasks: entries.filter((e) => e.kind === 'task'),
  };
}

function queryWorklist(deps: { db: DynamoDBDocumentClient; tableName: string }, wlpk: string) {
  return queryAll(deps.db, {
    TableName: deps.tableName,
    IndexName: 'worklist',
    KeyConditionExpression: 'wlpk = :p',
    ExpressionAttributeValues: { ':p': wlpk },
    ProjectionExpression: 'entity, caseNo, department, #s, wlsk, itemCode, taskId, stage, assignee',
    ExpressionAttributeNames: { '#s': 'status' },
  });
}
