/**
 * The queries of the main table's secondary indexes that read many cases or tasks at once:
 *  - open cases and review tasks of a department, on the sparse `open-by-deadline` index
 *    (obdpk DEPT#<code>, obdsk <due>#<caseNo>): the sweeps, the calendar recomputation, the review repair;
 *  - what waits for a staff member, on the `worklist` index (STAFF#<id> and DEPT#<code>);
 *  - the cases of a phone number, by its keyed hash, on the `by-phone` index.
 * Queries only, page by page; never a Scan. Every key shape comes from keys.ts.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, CaseStatus, Rating } from '../domain/case';
import type { TaskRecord } from '../domain/review';
import { queryAll } from './dynamo';
import { listPartitions, NEVER, openByDeadlinePartition, stripKeys, worklistPartitions } from './keys';

export interface OpenCaseQuery {
  /** Only items whose due date is before this China date (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only cases in this status (a filter on the page, not a key). */
  status?: CaseStatus;
}

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

export interface PhoneCase {
  caseNo: string;
  status: CaseStatus;
  decidedAt?: string;
  rating?: Rating;
}

interface WorklistItem {
  entity: string;
  caseNo: string;
  department: string;
  status: string;
  wlsk: string;
  itemCode?: string;
  taskId?: string;
  stage?: number;
  assignee?: string;
}

export class CaseIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openCases(department: string, query: OpenCaseQuery = {}): Promise<CaseRecord[]> {
    return (await this.openItems(department, 'case', query)).map((i) => stripKeys(i, 'case'));
  }

  /**
   * One page of a department's open cases, for a job that pages through them and resumes:
   * `next` is the key to start the following page from (absent on the last page). A page may
   * hold fewer than `limit` cases (the index mixes cases and tasks; the other kind is filtered out).
   */
  async openCasesPage(
    department: string,
    startKey: Record<string, unknown> | undefined,
    limit: number,
  ): Promise<{ items: CaseRecord[]; next?: Record<string, unknown> }> {
    const page = await this.openPage(department, 'case', startKey, limit, {});
    return { ...page, items: page.items.map((i) => stripKeys(i, 'case')) };
  }

  /** One page of a department's open review tasks (due before a date, when given), as openCasesPage. */
  async openTasksPage(
    department: string,
    startKey: Record<string, unknown> | undefined,
    limit: number,
    query: Pick<OpenCaseQuery, 'dueBefore'> = {},
  ): Promise<{ items: TaskRecord[]; next?: Record<string, unknown> }> {
    const page = await this.openPage(department, 'task', startKey, limit, query);
    return { ...page, items: page.items.map((i) => stripKeys(i, 'task')) };
  }

  private async openPage(
    department: string,
    entity: 'case' | 'task',
    startKey: Record<string, unknown> | undefined,
    limit: number,
    query: Pick<OpenCaseQuery, 'dueBefore'>,
  ): Promise<{ items: Record<string, unknown>[]; next?: Record<string, unknown> }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'open-by-deadline',
        KeyConditionExpression: query.dueBefore ? 'obdpk = :p AND obdsk < :before' : 'obdpk = :p',
        FilterExpression: '#e = :e',
        ExpressionAttributeNames: { '#e': 'entity' },
        ExpressionAttributeValues: {
          ':p': openByDeadlinePartition(department),
          ':e': entity,
          ...(query.dueBefore ? { ':before': query.dueBefore } : {}),
        },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}) };
  }

  /**
   * The department's cases waiting on the applicant's supplement: open-by-deadline files them
   * under the never-due date (keys.ts dueDate), so one Query of that prefix, filtered to cases
   * returned for supplement, reads only them (and the rare accepted case without deadlines).
   */
  async awaitingSupplement(department: string): Promise<CaseRecord[]> {
    const items = await this.query({
      IndexName: 'open-by-deadline',
      KeyConditionExpression: 'obdpk = :p AND begins_with(obdsk, :never)',
      FilterExpression: '#e = :e AND #s = :s',
      ExpressionAttributeNames: { '#e': 'entity', '#s': 'status' },
      ExpressionAttributeValues: {
        ':p': openByDeadlinePartition(department),
        ':never': `${NEVER}#`,
        ':e': 'case',
        ':s': 'supplement-required',
      },
    });
    return items.map((i) => stripKeys(i, 'case'));
  }

  async openTasks(department: string, query: Pick<OpenCaseQuery, 'dueBefore'> = {}): Promise<TaskRecord[]> {
    return (await this.openItems(department, 'task', query)).map((i) => stripKeys(i, 'task'));
  }

  /** The cases and tasks assigned to a person and those of their department no one holds, by due date. */
  async worklist(staffId: string, department: string | undefined): Promise<WorklistEntry[]> {
    const partitions = [
      worklistPartitions.staff(staffId),
      ...(department ? [worklistPartitions.department(department)] : []),
    ];
    const pages = await Promise.all(
      partitions.map((wlpk) =>
        this.query({
          IndexName: 'worklist',
          KeyConditionExpression: 'wlpk = :p',
          ExpressionAttributeValues: { ':p': wlpk },
          ProjectionExpression: 'entity, caseNo, department, #s, wlsk, itemCode, taskId, stage, assignee',
          ExpressionAttributeNames: { '#s': 'status' },
        }),
      ),
    );
    const entries = (pages.flat() as unknown as WorklistItem[]).map((i): WorklistEntry => {
      const due = i.wlsk.split('#')[0];
      return {
        kind: i.entity === 'task' ? 'task' : 'case',
        caseNo: i.caseNo,
        department: i.department,
        // A decided task is on the worklist only while its written opinion is owed (keys.ts).
        status: i.entity === 'task' && i.status === 'decided' ? 'opinion-owed' : i.status,
        due: due === NEVER ? null : due,
        ...(i.itemCode ? { itemCode: i.itemCode } : {}),
        ...(i.taskId ? { taskId: i.taskId, stage: i.stage } : {}),
        ...(i.assignee ? { assignee: i.assignee } : {}),
      };
    });
    return entries.sort((a, b) => (a.due ?? NEVER).localeCompare(b.due ?? NEVER) || a.caseNo.localeCompare(b.caseNo));
  }

  /** The cases of a keyed phone hash, newest first: only what choosing the case an SMS reply is about needs. */
  async casesOfPhone(phoneHash: string): Promise<PhoneCase[]> {
    const items = await this.query({
      IndexName: 'by-phone',
      KeyConditionExpression: 'phpk = :p',
      ExpressionAttributeValues: { ':p': listPartitions.phone(phoneHash) },
      ProjectionExpression: 'caseNo, #s, decidedAt, rating',
      ExpressionAttributeNames: { '#s': 'status' },
      ScanIndexForward: false,
    });
    return items as unknown as PhoneCase[];
  }

  private openItems(
    department: string,
    entity: 'case' | 'task',
    query: OpenCaseQuery,
  ): Promise<Record<string, unknown>[]> {
    // Cases and review tasks share the index under the same partition: a filter keeps one kind.
    const values: Record<string, unknown> = { ':p': openByDeadlinePartition(department), ':e': entity };
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
    return this.query({
      IndexName: 'open-by-deadline',
      KeyConditionExpression: condition,
      FilterExpression: filter,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { TableName: this.tableName, ...input });
  }
}
