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
 *   3. when the transport throws (SNS throttled, the network), end the claim's lease and rethrow:
 *      the caller's retry takes the claim over and sends it again, with the claim's instant.
 *
 * A claim left 'sending' by a send that died (a crash, a timeout after the claim was written)
 * is taken over by the next send of the key once it is known to be orphaned: its lease
 * (SMS_LEASE_MS, wall clock) has run out, or, where this port is the only sender on its store
 * (`exclusive`: the local runtime, one process per data directory), it belongs to another run
 * of the process or to no send in flight here. The take-over hands the message over with the
 * claim's own instant, so a carrier that keys messages by it (the local outbox) keeps one;
 * SNS and the providers take no such key, so there a send that died after the carrier accepted
 * and before the record said so is sent twice (rare: the window is one write). A claim still in
 * flight elsewhere makes send throw (SmsInFlightError): the caller's retry (the outbox) comes
 * back later, so the message is not lost either. A second completion notice to a citizen is a
 * visible fault the hall answers for, and so is a lost one.
 *
 * Personal data: the record keeps the number masked; the full number goes only to the
 * transport. Logs carry the kind, the key and the masked number.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toChinaIso } from '../domain/china-time';
import { maskPhone, normalizeMobile } from '../domain/identity';
import { isConditionFailed, queryAll } from '../store/dynamo';
import { keys } from '../store/keys';
import { RETENTION_DAYS, expiresAt } from '../store/retention';
import type { Logger } from './logger';
import type { Clock, Sms, SmsMessage, SmsResult, SmsTransport } from './ports';

/** How long a claim is held for its send: past it, a claim still 'sending' is taken to be orphaned. */
export const SMS_LEASE_MS = 30_000;

/** Another send of the same key is in flight: try again later (its claim is not orphaned yet). */
export class SmsInFlightError extends Error {
  constructor(key: string) {
    super(`an SMS with key ${key} is being sent by another caller; try again later`);
    this.name = 'SmsInFlightError';
  }
}

export class DynamoSms implements Sms {
  /** This run of the process: claims of another run are orphaned where this port is the only sender. */
  private readonly owner = randomUUID();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly transport: SmsTransport,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { exclusive?: boolean } = {},
  ) {}

  async send(message: SmsMessage): Promise<SmsResult> {
    if (this.inFlight.has(message.key)) throw new SmsInFlightError(message.key);
    this.inFlight.add(message.key);
    try {
      return await this.sendOnce(message);
    } finally {
      this.inFlight.delete(message.key);
    }
  }

  /**
   * Takes over the claim of a send that died, when it is orphaned (see the file comment);
   * returns the claim's instant, or undefined when the key was sent.
   */
  private async takeOver(message: SmsMessage): Promise<string | undefined> {
    const key = keys.sms(message.key);
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const claim = out.Item as { state?: string; owner?: string; leaseUntil?: number; claimedAt?: string } | undefined;
    if (!claim || claim.state !== 'sending' || !claim.claimedAt) return undefined;
    // send() holds one send per key in this process, so a claim of ours still 'sending' is a send of ours that died.
    const orphaned =
      (claim.leaseUntil ?? 0) < Date.now() || claim.owner === this.owner || this.options.exclusive === true;
    if (!orphaned) throw new SmsInFlightError(message.key);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #o = :me, leaseUntil = :lease',
          ConditionExpression: '#s = :sending AND claimedAt = :at AND (attribute_not_exists(#o) OR #o = :old)',
          ExpressionAttributeNames: { '#s': 'state', '#o': 'owner' },
          ExpressionAttributeValues: {
            ':me': this.owner,
            ':lease': Date.now() + SMS_LEASE_MS,
            ':sending': 'sending',
            ':at': claim.claimedAt,
            ':old': claim.owner ?? null,
          },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new SmsInFlightError(message.key);
      throw error;
    }
    this.logger.warn('sms claim of a send that died taken over; sending it now', {
      kind: message.kind,
      key: message.key,
    });
    return claim.claimedAt;
  }

  private async sendOnce(message: SmsMessage): Promise<SmsResult> {
    let at = toChinaIso(this.clock.now());
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
            owner: this.owner,
            leaseUntil: Date.now() + SMS_LEASE_MS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const claimedAt = await this.takeOver(message);
      if (claimedAt === undefined) {
        this.logger.info('sms not sent again: its key was sent before', {
          kind: message.kind,
          key: message.key,
          to: masked,
        });
        return { status: 'duplicate' };
      }
      at = claimedAt;
    }

    let messageId: string | undefined;
    try {
      ({ messageId } = await this.transport.deliver({ ...message, at }));
    } catch (error) {
      // The claim is kept, its lease ended now: the retry takes it over and hands the message over
      // with the same instant. (Releasing it would let a retry claim anew with another instant:
      // a second message when an earlier hand-over of this claim had in fact gone through.)
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET leaseUntil = :zero',
            ConditionExpression: '#s = :sending AND claimedAt = :at',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending', ':at': at, ':zero': 0 },
          }),
        )
        .catch((e: unknown) => {
          this.logger.warn('sms claim lease not ended after a failed send (it runs out by itself)', {
            key: message.key,
            error: e,
          });
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
