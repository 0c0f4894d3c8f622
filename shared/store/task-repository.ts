/**
 * Review tasks: one item per case, stage and department, in the case's partition. The item
 * holds the task token the state machine waits on, the assignee, the due date and the
 * decision; every change is a conditional write on its version, so a decision is recorded
 * once, however many times it is sent.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseTaskId, type TaskRecord } from '../domain/review';
import { putIfAbsent, putIfVersion, queryAll } from './dynamo';
import { keys, stripKeys, taskIndexAttributes } from './keys';

export class TaskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(t: TaskRecord) {
    return { ...keys.task(t.caseNo, t.stage, t.department), entity: 'task', ...taskIndexAttributes(t), ...t };
  }

  /** Creates the task unless it exists; returns the stored task either way. */
  async openOnce(t: TaskRecord): Promise<{ created: boolean; task: TaskRecord }> {
    if (await putIfAbsent(this.db, this.tableName, this.item(t))) return { created: true, task: t };
    const stored = await this.get(t.taskId);
    if (!stored) throw new Error(`task ${t.taskId} exists but cannot be read back`);
    return { created: false, task: stored };
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const id = parseTaskId(taskId);
    if (!id) return undefined;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.task(id.caseNo, id.stage, id.department),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys(out.Item, 'task') : undefined;
  }

  async ofCase(caseNo: string): Promise<TaskRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseNo}`, ':t': 'TASK#' },
      ConsistentRead: true,
    });
    return items.map((i) => stripKeys(i, 'task'));
  }

  /** Saves a new state of a task read at `expectedVersion`; ConflictError when it changed in between. */
  async save(t: TaskRecord, expectedVersion: number): Promise<void> {
    await putIfVersion(this.db, this.tableName, this.item(t), expectedVersion, `task ${t.taskId}`, {
      taskId: t.taskId,
    });
  }
}
