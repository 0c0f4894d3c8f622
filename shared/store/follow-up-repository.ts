/**
 * Bad-rating follow-ups (差评核实、整改、回访): one item per case (FU-<caseNo>), created with a
 * conditional write (a second bad reply or a retry cannot open a second one), saved with a
 * conditional write on the version read. While open they sit on the worklist index under
 * FOLLOWUPS#<department>, by due date: listing a department's open follow-ups is one Query.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FollowUp } from '../domain/followup';
import { putIfAbsent, putIfVersion, queryAll } from './dynamo';
import { followUpIndexAttributes, keys, listPartitions, stripKeys } from './keys';

export class FollowUpRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(f: FollowUp): Record<string, unknown> {
    return { ...keys.followUp(f.id), entity: 'followup', ...followUpIndexAttributes(f), ...f };
  }

  /** Returns false when the case already has its follow-up. */
  async create(f: FollowUp): Promise<boolean> {
    return putIfAbsent(this.db, this.tableName, this.item(f));
  }

  async get(id: string): Promise<FollowUp | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.followUp(id), ConsistentRead: true }),
    );
    return out.Item ? stripKeys(out.Item, 'followup') : undefined;
  }

  async save(f: FollowUp, expectedVersion: number): Promise<void> {
    await putIfVersion(this.db, this.tableName, this.item(f), expectedVersion, `follow-up ${f.id}`, { id: f.id });
  }

  /** The open follow-ups of a department, earliest due first. */
  async openOf(department: string): Promise<FollowUp[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'worklist',
      KeyConditionExpression: 'wlpk = :p',
      ExpressionAttributeValues: { ':p': listPartitions.openFollowUps(department) },
    });
    return items.map((i) => stripKeys(i, 'followup'));
  }
}
