/**
 * Inbound SMS replies as they arrive: AWS End User Messaging (two-way SMS) publishes each
 * reply to an SNS topic as a JSON message
 *
 *   { originationNumber: "+8613800001234", destinationNumber, messageKeyword, messageBody,
 *     inboundMessageId, previousPublishedMessageId }
 *
 * and SNS hands it to the subscribed feedback function in an SNS event (Records[].Sns.Message).
 * The local runtime builds the very same event for POST /_local/sms/inbound, so one handler
 * serves both. A redelivery carries the same inboundMessageId and the same SNS MessageId.
 */
import { randomUUID } from 'node:crypto';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';

export interface InboundSms {
  /** What makes a delivery the same reply: the two-way inboundMessageId, else the SNS MessageId. */
  messageId: string;
  /** The sender's number as received (E.164). Personal: mask it before logging. */
  from: string;
  text: string;
}

export function isSnsEvent(event: unknown): event is SNSEvent {
  const records = (event as { Records?: unknown[] } | null | undefined)?.Records;
  return (
    Array.isArray(records) && records.length > 0 && (records[0] as { EventSource?: string }).EventSource === 'aws:sns'
  );
}

/** Reads one record; undefined when it is not a two-way SMS payload (logged and dropped by the caller: a retry cannot fix it). */
export function readInboundSms(record: SNSEventRecord): InboundSms | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.Sns.Message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const payload = parsed as Record<string, unknown>;
  const from = payload.originationNumber;
  const text = payload.messageBody;
  if (typeof from !== 'string' || typeof text !== 'string') return undefined;
  const id =
    typeof payload.inboundMessageId === 'string' && payload.inboundMessageId
      ? payload.inboundMessageId
      : record.Sns.MessageId;
  return { messageId: id, from, text };
}

/** The SNS event AWS would deliver for a reply `text` from `from` (the local runtime's inbound route). */
export function inboundSnsEvent(
  input: { from: string; text: string; messageId?: string },
  now: Date,
  topicArn = 'arn:aws:sns:local:000000000000:onewindow-inbound-sms',
): SNSEvent {
  const messageId = input.messageId ?? randomUUID();
  const message = {
    originationNumber: input.from,
    destinationNumber: '+8610690000',
    messageKeyword: 'KEYWORD_LOCAL',
    messageBody: input.text,
    inboundMessageId: messageId,
    previousPublishedMessageId: '',
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:local`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: '',
          Message: JSON.stringify(message),
          Timestamp: now.toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}
