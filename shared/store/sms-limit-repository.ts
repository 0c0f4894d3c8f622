/**
 * Per-phone send limits (a domestic SMS provider's flow control, as carriers apply it): one
 * item per number, keyed by the number's keyed hash, holding the recent sends (instant and
 * template code) inside the longest window. A send is admitted by a conditional write on the
 * version read, so two senders at once cannot both take the last place; the item expires
 * (expiresAt, the table's TTL) once its newest send has left every window.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { admitSend, type Admission, type PhoneLimit, type SendMark } from '../domain/provider-sms';
import { isConditionFailed } from './dynamo';
import { keys } from './keys';

export class SmsLimitRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Admits one send of `code` to the number, recording it; or says how long to wait. */
  async admit(phoneHash: string, code: string, limits: readonly PhoneLimit[], now: Date): Promise<Admission> {
    const key = keys.smsPhoneLimit(phoneHash);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const longest = Math.max(0, ...limits.map((l) => l.seconds));
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = (
        await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))
      ).Item;
      const version = (current?.version as number | undefined) ?? 0;
      const admission = admitSend((current?.marks as SendMark[] | undefined) ?? [], nowSeconds, code, limits);
      if (!admission.ok) return admission;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              entity: 'sms-limit',
              marks: admission.marks,
              version: version + 1,
              expiresAt: nowSeconds + longest,
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
          }),
        );
        return admission;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    throw new Error('per-phone send limit: too many concurrent sends to one number; retry');
  }
}
