/**
 * Complaints (投诉): one item each, numbered TS-<yyyymmdd>-<nnnn> from a per-day counter,
 * saved with a conditional write on the version read. While unanswered they sit on the
 * worklist index under COMPLAINTS#OPEN by due date: the supervisors' list is one Query.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Complaint } from '../domain/complaint';
import { counterValue, putIfVersion, queryAll } from './dynamo';
import { complaintIndexAttributes, keys, listPartitions, stripKeys } from './keys';

export class ComplaintRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(c: Complaint): Record<string, unknown> {
    return { ...keys.complaint(c.id), entity: 'complaint', ...complaintIndexAttributes(c), ...c };
  }

  /** The next complaint number of a China date (YYYY-MM-DD): TS-20261130-0001. */
  async nextNumber(date: string): Promise<string> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.complaintSequence(date),
        UpdateExpression: 'ADD seq :one SET entity = :e',
        ExpressionAttributeValues: { ':one': 1, ':e': 'sequence' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return `TS-${date.replace(/-/g, '')}-${String(counterValue(out.Attributes, 'seq')).padStart(4, '0')}`;
  }

  async create(c: Complaint): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.item(c),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Complaint | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.complaint(id), ConsistentRead: true }),
    );
    return out.Item ? stripKeys(out.Item, 'complaint') : undefined;
  }

  async save(c: Complaint, expectedVersion: number): Promise<void> {
    await putIfVersion(this.db, this.tableName, this.item(c), expectedVersion, `complaint ${c.id}`, { id: c.id });
  }

  /** Every unanswered complaint, earliest due first. */
  async open(): Promise<Complaint[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'worklist',
      KeyConditionExpression: 'wlpk = :p',
      ExpressionAttributeValues: { ':p': listPartitions.openComplaints() },
    });
    return items.map((i) => stripKeys(i, 'complaint'));
  }
}
