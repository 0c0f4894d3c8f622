/**
 * Idempotency keys sent by clients: the first request with a key records the result it
 * created (e.g. a case number) with a conditional write; a retry finds it and gets the
 * same result, never a second one. A different request under the same key is refused.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from './dynamo';
import { keys } from './keys';
import { RETENTION_DAYS, expiresAt } from './retention';

export interface IdempotencyRecord {
  requestHash: string;
  resultRef: string;
  createdAt: string;
}

export class IdempotencyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }),
    );
    return out.Item as IdempotencyRecord | undefined;
  }

  /** Records the key; returns the record that wins (ours, or the one written first by a concurrent request). */
  async claim(scope: string, key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    if (
      await putIfAbsent(this.db, this.tableName, {
        ...keys.idempotency(scope, key),
        entity: 'idempotency',
        ...record,
        expiresAt: expiresAt(record.createdAt, RETENTION_DAYS.idempotencyKey),
      })
    )
      return record;
    const winner = await this.get(scope, key);
    if (!winner) throw new Error(`idempotency key ${scope}/${key} was claimed but cannot be read back`);
    return winner;
  }
}
