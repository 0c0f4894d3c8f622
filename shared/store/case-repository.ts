/**
 * Cases in DynamoDB. Every write is a single-item conditional write: creation requires the
 * case not to exist; every later save requires the version read before it, so two staff
 * acting at once cannot both succeed, and the history travels in the same write.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../domain/case';
import { ConflictError } from '../domain/errors';
import { isConditionFailed } from './dynamo';
import { caseIndexAttributes, keys, stripKeys } from './keys';

export class CaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(c: CaseRecord): Record<string, unknown> {
    return { ...keys.case(c.caseNo), entity: 'case', ...caseIndexAttributes(c), ...c };
  }

  /** Writes a new case; returns false when a case with that number already exists. */
  async create(c: CaseRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: this.item(c), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(caseNo: string): Promise<CaseRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.case(caseNo), ConsistentRead: true }));
    return out.Item ? stripKeys<CaseRecord>(out.Item) : undefined;
  }

  /**
   * Saves a new state of a case read at `expectedVersion` (the record carries expectedVersion + 1).
   * Throws ConflictError when someone else changed the case in between.
   */
  async save(c: CaseRecord, expectedVersion: number): Promise<void> {
    if (c.version !== expectedVersion + 1) throw new Error('save: the record must carry the next version');
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(c),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConflictError(`case ${c.caseNo} was changed by someone else at the same time; reload it and try again`, {
          caseNo: c.caseNo,
        });
      }
      throw error;
    }
  }

  /** The next number in a department's sequence for a China date (an atomic counter). */
  async nextSequence(department: string, date: string): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.caseSequence(department, date),
        UpdateExpression: 'ADD seq :one SET entity = :e',
        ExpressionAttributeValues: { ':one': 1, ':e': 'sequence' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return out.Attributes!.seq as number;
  }
}
