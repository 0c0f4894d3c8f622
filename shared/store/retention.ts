/**
 * How long records kept only for deduplication live before DynamoDB's TTL deletes them
 * (`expiresAt`, epoch seconds: the main table's TTL attribute, infra/tables.ts). One place,
 * so the README and the records agree.
 *
 * - Idempotency keys: 7 days. A client retries within minutes; a page keeps a failed submit's
 *   key while it is open, and a week covers a form left open over a holiday weekend.
 * - SMS claims (SMS#<key>) and inbound SMS claims: 180 days, the log retention the
 *   Cybersecurity Law asks for (six months). Far longer than any retry of an event (EventBridge
 *   retries for 24 hours; the outbox job until done), so a redelivery never sends twice.
 *
 * dynalite has no TTL, so in the local runtime these records stay.
 */
export const RETENTION_DAYS = {
  idempotencyKey: 7,
  smsClaim: 180,
  inboundSms: 180,
} as const;

/** The TTL value for a record written at `at` (a Date or an ISO timestamp) and kept `days` days. */
export function expiresAt(at: Date | string, days: number): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${String(at)}`);
  return Math.ceil(ms / 1000) + days * 86_400;
}
