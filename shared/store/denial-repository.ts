/**
 * Denials filed for the supervisors (否决报备): the case, the reason, the staff member. One item
 * per denied case, keyed by the month of the decision, so supervisors list a month with one
 * Query; writing it twice (a retry) leaves one item.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import { chinaMonth } from '../domain/china-time';

export interface DenialFiling {
  caseNo: string;
  itemCode: string;
  department: string;
  reason: string;
  /** Every department's reason, for joint items. */
  reasons?: { department: string; reason: string }[];
  deniedBy: string;
  deniedAt: string;
}

export class DenialRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async file(d: DenialFiling): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `DENIALS#${chinaMonth(d.deniedAt)}`, sk: `${d.deniedAt}#${d.caseNo}`, entity: 'denial', ...d },
      }),
    );
  }

  async month(month: string): Promise<DenialFiling[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `DENIALS#${month}` },
    });
    return items.map(({ pk: _pk, sk: _sk, entity: _e, ...filing }) => filing as unknown as DenialFiling);
  }
}
