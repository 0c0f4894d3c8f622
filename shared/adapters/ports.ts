/**
 * Ports: what use cases need from the outside world. Each has an AWS and a local
 * implementation; tests pass the local ones, never jest.mock.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

export interface SmsMessage {
  to: string;
  text: string;
  kind: string;
  /** Deduplication key: the same key is sent at most once. */
  key: string;
}

export interface Sms {
  send(message: SmsMessage): Promise<void>;
}
