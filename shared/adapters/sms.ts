/**
 * The SMS port and its transports: SNS Publish to the phone number in AWS, the outbox in the
 * local runtime (GET /_local/sms/outbox).
 *
 * Once per key. Every message carries a deduplication key (completion#<caseNo>,
 * clarification#<caseNo>, complaint-answer#<id>...). Before anything is handed to the carrier,
 * a conditional PutItem of the record SMS#<key> (attribute_not_exists) claims the key:
 *
 *   1. claim SMS#<key> (state 'sending'). The key is taken: a duplicate or concurrent send of
 *      the same key fails the condition and is a no-op (`duplicate`), whatever the function
 *      that asked (an event delivered twice, a Lambda retry, two replicas at once).
 *   2. hand the message to the transport, then mark the record 'sent' with the carrier's id.
 *   3. when the transport throws (SNS throttled, the network), delete the claim (conditional on
 *      it still being ours and 'sending') and rethrow: the caller's retry sends it again.
 *
 * This is at-most-once with retries of the failures we see. The one window left is a crash
 * (timeout, out of memory) after the claim and before the carrier accepted: the record stays
 * 'sending' with no `sentAt` and the SMS is never sent. We chose that over at-least-once on
 * purpose: a second completion notice, a second rating invitation or a second complaint answer
 * to a citizen is a visible fault the hall answers for; a lost one is rare, is visible on the
 * record ('sending', no sentAt) for an operator to resend, and the case's result is online.
 *
 * Personal data: the record keeps the number masked; the full number goes only to the
 * transport. Logs carry the kind, the key and the masked number.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toChinaIso } from '../domain/china-time';
import { maskPhone, normalizeMobile } from '../domain/identity';
import { isConditionFailed, queryAll } from '../store/dynamo';
import { keys } from '../store/keys';
import { RETENTION_DAYS, expiresAt } from '../store/retention';
import type { Logger } from './logger';
import type { Clock, Sms, SmsMessage, SmsResult, SmsTransport } from './ports';

export class DynamoSms implements Sms {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly transport: SmsTransport,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(message: SmsMessage): Promise<SmsResult> {
    const at = toChinaIso(this.clock.now());
    const key = keys.sms(message.key);
    const masked = maskPhone(message.to);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity: 'sms',
            key: message.key,
            kind: message.kind,
            toMasked: masked,
            text: message.recordText ?? message.text,
            state: 'sending',
            claimedAt: at,
            expiresAt: expiresAt(this.clock.now(), RETENTION_DAYS.smsClaim),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      this.logger.info('sms not sent again: its key was sent before', {
        kind: message.kind,
        key: message.key,
        to: masked,
      });
      return { status: 'duplicate' };
    }

    let messageId: string | undefined;
    try {
      ({ messageId } = await this.transport.deliver({ ...message, at }));
    } catch (error) {
      await this.db
        .send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: '#s = :sending AND claimedAt = :at',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending', ':at': at },
          }),
        )
        .catch((e: unknown) => {
          this.logger.error('sms claim could not be released after a failed send', { key: message.key, error: e });
        });
      throw error;
    }

    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': toChinaIso(this.clock.now()), ':id': messageId ?? null },
      }),
    );
    this.logger.info('sms sent', { kind: message.kind, key: message.key, to: masked });
    return { status: 'sent', messageId };
  }
}

/** +86 and the 11 digits, as SNS wants a phone number (E.164). */
export function toE164(phone: string): string {
  const digits = normalizeMobile(phone);
  if (!digits) throw new RangeError(`not a mainland mobile number: ${maskPhone(phone)}`);
  return `+86${digits}`;
}

/**
 * SNS Publish straight to the phone number, as a transactional SMS (delivered ahead of
 * promotional traffic and not subject to its opt-outs). The function that uses it needs
 * sns:Publish on '*': a phone number is not an ARN, so no narrower resource exists.
 * SNS sends no SMS from AWS's China regions; a hall there puts a domestic provider behind SmsTransport.
 */
export class SnsTransport implements SmsTransport {
  constructor(private readonly client: SNSClient) {}

  async deliver(message: SmsMessage): Promise<{ messageId?: string }> {
    const out = await this.client.send(
      new PublishCommand({
        PhoneNumber: toE164(message.to),
        Message: message.text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return { messageId: out.MessageId };
  }
}

export interface OutboxMessage {
  /** The full number: the outbox exists only in the local runtime, and each message is the applicant's own. */
  to: string;
  text: string;
  /** ISO instant with +08:00 (the local clock). */
  at: string;
  kind: string;
  key: string;
}

/**
 * The local runtime's carrier: messages are kept in the table (one local-only partition, so
 * they survive a restart of `npm start` like the rest of the data), read oldest first.
 */
export class OutboxTransport implements SmsTransport {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deliver(message: SmsMessage & { at: string }): Promise<{ messageId?: string }> {
    const key = keys.smsOutbox(message.at, message.key);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          entity: 'outbox',
          to: message.to,
          text: message.text,
          at: message.at,
          kind: message.kind,
          key: message.key,
        },
      }),
    );
    return { messageId: `outbox-${message.key}` };
  }

  async messages(): Promise<OutboxMessage[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.smsOutbox('', '').pk },
      ConsistentRead: true,
    });
    return items.map((i) => ({ to: i.to, text: i.text, at: i.at, kind: i.kind, key: i.key }) as OutboxMessage);
  }
}
