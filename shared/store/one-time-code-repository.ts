/**
 * One-time codes: one item per subject (a case, or a phone by its keyed hash) holding the keyed
 * hash of its current code, the nonce the code is derived from (by a keyed hash: the notify
 * function computes the code from it to send the SMS), when it was issued and until when it
 * holds (`expiresMs`), and the
 * table's TTL (`expiresAt`, epoch seconds) so that spent and expired codes vanish by themselves.
 * A new code for the subject replaces the old one (a plain Put). A code is used by a conditional
 * Delete that holds only for the right hash before it expires: one write checks it and spends
 * it, so two requests with the same code cannot both get in. The code itself is never stored.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamo';
import { keys } from './keys';

export interface IssuedCode {
  nonce: string;
  issuedAt: string;
  expiresMs: number;
}

export class OneTimeCodeRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores the hash of a new code for the subject, replacing any code before it. */
  async issue(subject: string, codeHash: string, nonce: string, now: Date, ttlSeconds: number): Promise<void> {
    const expiresMs = now.getTime() + ttlSeconds * 1000;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.oneTimeCode(subject),
          entity: 'one-time-code',
          codeHash,
          nonce,
          issuedAt: now.toISOString(),
          expiresMs,
          expiresAt: Math.ceil(expiresMs / 1000) + 3600,
        },
      }),
    );
  }

  /** The subject's current code (its nonce and expiry, never the hash), if one was issued and not spent. */
  async current(subject: string): Promise<IssuedCode | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.oneTimeCode(subject), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return undefined;
    return { nonce: item.nonce as string, issuedAt: item.issuedAt as string, expiresMs: item.expiresMs as number };
  }

  /** Spends the subject's code when `codeHash` is its hash and it has not expired; false otherwise. */
  async consume(subject: string, codeHash: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.oneTimeCode(subject),
          ConditionExpression: 'codeHash = :h AND expiresMs > :now',
          ExpressionAttributeValues: { ':h': codeHash, ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
