/**
 * Bad-rating follow-ups (差评核实、整改、回访): one item per case (FU-<caseNo>), created with a
 * conditional write (a second bad reply or a retry cannot open a second one), saved with a
 * conditional write on the version read. While open they sit on the worklist index under
 * FOLLOWUPS#<department>, by due date: listing a department's open follow-ups is one Query.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FollowUp } from '../domain/followup';
import { ConflictError } from '../domain/errors';
import { isConditionFailed } from './dynamo';
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
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(f), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<FollowUp | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.followUp(id), ConsistentRead: true }));
    return out.Item ? stripKeys<FollowUp>(out.Item) : undefined;
  }

  async save(f: FollowUp, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(f),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new ConflictError(`follow-up ${f.id} was changed by someone else at the same time; reload it and try again`, { id: f.id });
      throw error;
    }
  }

  /** The open follow-ups of a department, earliest due first. */
  async openOf(department: string): Promise<FollowUp[]> {
    const out: FollowUp[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'worklist',
          KeyConditionExpression: 'wlpk = :p',
          ExpressionAttributeValues: { ':p': listPartitions.openFollowUps(department) },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) out.push(stripKeys<FollowUp>(i));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
