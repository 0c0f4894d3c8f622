/**
 * Inbound SMS replies, claimed once by message id (a conditional PutItem), so the same reply
 * delivered twice counts once. The item keeps what the reply did (its outcome) and the masked
 * number, never the number in clear nor the text.
 */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from './dynamo';
import { keys } from './keys';
import { RETENTION_DAYS, expiresAt } from './retention';

export class InboundSmsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** True when this call claimed the message; false when it was claimed before (a redelivery). */
  async claim(messageId: string, receivedAt: string, fromMasked: string): Promise<boolean> {
    return putIfAbsent(this.db, this.tableName, {
      ...keys.inboundSms(messageId),
      entity: 'inbound-sms',
      messageId,
      receivedAt,
      fromMasked,
      outcome: 'processing',
      expiresAt: expiresAt(receivedAt, RETENTION_DAYS.inboundSms),
    });
  }

  async finish(messageId: string, outcome: string, caseNo?: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inboundSms(messageId),
        UpdateExpression: 'SET outcome = :o, caseNo = :c',
        ExpressionAttributeValues: { ':o': outcome, ':c': caseNo ?? null },
      }),
    );
  }

  /** Gives the claim back after a failure, so the redelivery (SNS → Lambda retries) processes the reply. */
  async release(messageId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.inboundSms(messageId) }));
  }
}
