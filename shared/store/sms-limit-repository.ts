/**
 * Per-phone send limits (a domestic SMS provider's flow control, as carriers apply it): one
 * item per number, keyed by the number's keyed hash, holding the recent sends (instant and
 * template code) inside the longest window. A send is admitted by a conditional write on the
 * version read, so two senders at once cannot both take the last place; the item expires
 * (expiresAt, the table's TTL) once its newest send has left every window.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Admission, PhoneLimit } from '../domain/provider-sms';
import { keys } from './keys';
import { admitRolling } from './rate-limit-repository';

export class SmsLimitRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Admits one send of `code` to the number, recording it; or says how long to wait. */
  async admit(phoneHash: string, code: string, limits: readonly PhoneLimit[], now: Date): Promise<Admission> {
    const target = { key: keys.smsPhoneLimit(phoneHash), entity: 'sms-limit' };
    const admission = await admitRolling(this.db, this.tableName, target, code, limits, now);
    if (!admission) throw new Error('per-phone send limit: too many concurrent sends to one number; retry');
    return admission;
  }
}
