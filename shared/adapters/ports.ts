/**
 * Ports: what use cases need from the outside world. Each has an AWS and a local
 * implementation; tests pass the local ones, never jest.mock.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** What a message is for: the outbox and the SMS records show it. */
export type SmsKind =
  'completion' | 'clarification' | 'followup' | 'complaint-answer' | 'deadline-warning' | (string & {});

export interface SmsMessage {
  /** Mainland mobile number, 11 digits. Only the port and the transport see it in clear. */
  to: string;
  text: string;
  kind: SmsKind;
  /** Deduplication key, e.g. completion#<caseNo>: the same key is sent at most once. */
  key: string;
  /** What the SMS record keeps instead of the text, when the text must not be stored (a one-time code). */
  recordText?: string;
}

/** `sent`: handed to the transport now; `duplicate`: the key was taken before, nothing was sent. */
export type SmsResult = { status: 'sent'; messageId?: string } | { status: 'duplicate' };

/** Sends each key at most once (shared/adapters/sms.ts says how). */
export interface Sms {
  send(message: SmsMessage): Promise<SmsResult>;
}

/** Hands one message to a carrier (SNS in AWS, the outbox locally). Knows nothing of keys. */
export interface SmsTransport {
  deliver(message: SmsMessage & { at: string }): Promise<{ messageId?: string }>;
}
