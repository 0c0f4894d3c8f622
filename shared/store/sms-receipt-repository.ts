/**
 * Delivery receipts (状态报告) of SMS sent through a provider, recorded on the message's own
 * record (SMS#<key>, written by the Sms port): the provider echoes the key we sent as its
 * out_id, and its message id (biz_id) must be the one the record holds, so a stray or forged
 * receipt changes nothing. Idempotent: the same receipt twice writes the same values.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamo';
import { keys } from './keys';

export interface SmsReceipt {
  /** The Sms port's key (the provider's out_id). */
  key: string;
  /** The provider's message id (biz_id). */
  messageId: string;
  delivered: boolean;
  /** The carrier's status code, e.g. DELIVERED, MK:0001. */
  code: string;
  /** ISO instant with +08:00. */
  reportedAt: string;
  segments?: number;
}

/** `recorded`: on the message; `unknown`: no message with this key and id (dropped); `not-yet`: the send is still being recorded (retry). */
export type ReceiptOutcome = 'recorded' | 'unknown' | 'not-yet';

export class SmsReceiptRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(receipt: SmsReceipt): Promise<ReceiptOutcome> {
    const key = keys.sms(receipt.key);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET delivery = :d',
          ConditionExpression: 'messageId = :id',
          ExpressionAttributeValues: {
            ':id': receipt.messageId,
            ':d': {
              state: receipt.delivered ? 'delivered' : 'failed',
              code: receipt.code,
              reportedAt: receipt.reportedAt,
              ...(receipt.segments !== undefined ? { segments: receipt.segments } : {}),
            },
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    // The provider can report before the port has written the message id: then it is still 'sending'.
    const current = (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })))
      .Item;
    return current?.state === 'sending' ? 'not-yet' : 'unknown';
  }
}
