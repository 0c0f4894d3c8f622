/**
 * Decided cases waiting for their default rating: one small item per case under the China
 * date the default applies from (RATEDUE#<date>), written when the case is decided. The
 * default-rating job queries one partition per day from the day after its cursor up to
 * today, so it never scans and never reads a case that is not due. Items are deleted once
 * handled (defaulted, or found rated), so a day's partition empties as it is worked.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import { keys } from './keys';

export class RatingDueRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Idempotent: writing it again (a retried decision) leaves one item. */
  async schedule(date: string, caseNo: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.ratingDue(date, caseNo), entity: 'rating-due', date, caseNo },
      }),
    );
  }

  async day(date: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ratingDue(date, '').pk },
      ProjectionExpression: 'caseNo',
    });
    return items.map((i) => i.caseNo as string);
  }

  async done(date: string, caseNo: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.ratingDue(date, caseNo) }));
  }

  /** The last China date the job finished, if it ever ran. */
  async cursor(): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.ratingDueCursor(), ConsistentRead: true }),
    );
    return out.Item?.date as string | undefined;
  }

  /** Moves the cursor forward only (a slower concurrent run never moves it back). */
  async advanceCursor(date: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.ratingDueCursor(), entity: 'rating-due-cursor', date },
          ConditionExpression: 'attribute_not_exists(pk) OR #d < :d',
          ExpressionAttributeNames: { '#d': 'date' },
          ExpressionAttributeValues: { ':d': date },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
