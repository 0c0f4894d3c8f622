/**
 * The first-inquiry log (首问负责) in DynamoDB: one item per inquiry, keyed by department and
 * China month, so a month's log of a department is one Query. The contact is stored as given
 * (never in a key) and masked by every listing.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Inquiry } from '../domain/inquiry';
import { keys } from './keys';
import { queryPartition } from './post-repository';

export class InquiryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(i: Inquiry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.inquiry(i.department, i.at, i.id), entity: 'inquiry', ...i },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** A department's inquiries in a China month (YYYY-MM), in time order. */
  async month(department: string, month: string): Promise<Inquiry[]> {
    return queryPartition<Inquiry>(this.db, this.tableName, keys.inquiryMonth(department, month));
  }
}
