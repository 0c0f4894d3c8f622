/**
 * The Events port: what happened, published for the functions that react to it. In AWS,
 * PutEvents to the default EventBridge bus, whose rule invokes the notify function (an
 * asynchronous invocation, retried: so notify must be idempotent, and is, by SMS keys). In
 * the local runtime, the same event shape is dispatched in process to the same handler.
 *
 * Events carry references (a case number, a complaint id), never a phone number or a name:
 * the reacting function reads the record. So personal data never travels on the bus.
 */
import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { toChinaIso } from '../domain/china-time';
import type { Logger } from './logger';
import type { Clock } from './ports';

export const EVENT_SOURCE = 'onewindow';

export type DomainEvent =
  /** A case was received (online or at the window): the receipt SMS with the query code, and the notice if materials are missing. */
  | { type: 'case.received'; caseNo: string }
  /** A case was accepted by staff, or deemed accepted (art. 32): the SMS with the committed deadline. */
  | { type: 'case.accepted'; caseNo: string }
  /** A case was returned for supplement (一次性告知) at `at` (the notice's instant): what to supply and by when. */
  | { type: 'case.returned'; caseNo: string; at: string }
  /** A case not supplemented in time was deemed withdrawn (视为撤回): the applicant is told. */
  | { type: 'case.withdrawn-deemed'; caseNo: string }
  /** A case was approved or denied: the completion SMS. */
  | { type: 'case.decided'; caseNo: string }
  /** An SMS reply could not be read: one clarification per case. */
  | { type: 'reply.unreadable'; caseNo: string }
  /** A bad rating opened a follow-up: the applicant is told it will be followed up. */
  | { type: 'followup.opened'; caseNo: string; followUpId: string }
  /** A complaint was answered: the answer goes to the complainant by SMS. */
  | { type: 'complaint.answered'; complaintId: string }
  /** A case, task, follow-up or complaint turned yellow or red: a card for the responsible staff member. */
  | {
      type: 'deadline.warning';
      ref: string;
      itemKind: 'case' | 'task' | 'followup' | 'complaint';
      colour: 'yellow' | 'red';
      due: string;
      department: string;
      staffId: string;
    }
  /** A one-time code was issued for a case or a phone (ref: case#<caseNo> or phone#<keyed hash>): notify derives it from the nonce and sends it. */
  | { type: 'code.requested'; ref: string; nonce: string };
export type DomainEventType = DomainEvent['type'];

export const EVENT_TYPES: readonly DomainEventType[] = [
  'case.decided',
  'case.received',
  'case.accepted',
  'case.returned',
  'case.withdrawn-deemed',
  'reply.unreadable',
  'followup.opened',
  'complaint.answered',
  'deadline.warning',
  'code.requested',
];

export interface Events {
  publish(event: DomainEvent): Promise<void>;
  /**
   * Resolves only once the event can no longer be lost if this process stops: the outbox
   * (shared/usecases/outbox.ts) takes an effect off its item only then. PutEvents accepted is
   * that already (publish); the local in-memory bus resolves once the event has been handled.
   */
  publishDurably?(event: DomainEvent): Promise<void>;
}

/** An event as an EventBridge rule hands it to its Lambda target. */
export interface BusEvent {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export function toBusEvent(
  event: DomainEvent,
  id: string,
  time: Date,
  where = { account: '000000000000', region: 'local' },
): BusEvent {
  const { type, ...detail } = event;
  return {
    version: '0',
    id,
    source: EVENT_SOURCE,
    'detail-type': type,
    account: where.account,
    time: time.toISOString(),
    region: where.region,
    resources: [],
    detail,
  };
}

/** PutEvents to a bus (the default one unless told). Throws when the entry was not accepted, so the caller sees it. */
export class EventBridgeEvents implements Events {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName = 'default',
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    const { type, ...detail } = event;
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: EVENT_SOURCE, DetailType: type, Detail: JSON.stringify(detail), EventBusName: this.busName },
        ],
      }),
    );
    if (out.FailedEntryCount) {
      const entry = out.Entries?.[0];
      throw new Error(
        `EventBridge refused ${type}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}

/**
 * The local bus: `publish` returns at once (as PutEvents does) and the event is handed to the
 * target in the background, retried up to 3 times in all (as Lambda retries an asynchronous
 * invocation). `settled()` waits until every event published so far, and every event those
 * published in turn, has been handled: tests and the local outbox route call it, so what they
 * read is deterministic.
 */
export class InProcessEvents implements Events {
  private readonly pending = new Set<Promise<void>>();
  private failures = 0;

  constructor(
    private readonly deliver: (event: BusEvent) => Promise<unknown>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly attempts = 3,
  ) {}

  /** Resolves at once: delivery runs in the background (see settled()). */
  publish(event: DomainEvent): Promise<void> {
    void this.track(this.run(event));
    return Promise.resolve();
  }

  /**
   * Resolves once the event has been handled (with the same retries as publish), and rejects
   * when every attempt failed: the bus lives in this process's memory, so an event is safe from
   * a crash only once its handler has run. The outbox publishes this way, and keeps the effect
   * pending until then.
   */
  publishDurably(event: DomainEvent): Promise<void> {
    return this.track(this.run(event, true));
  }

  private track(run: Promise<void>): Promise<void> {
    const entry: Promise<void> = run.catch(() => undefined).finally(() => this.pending.delete(entry));
    this.pending.add(entry);
    return run;
  }

  private async run(event: DomainEvent, rethrow = false): Promise<void> {
    const bus = toBusEvent(event, randomUUID(), this.clock.now());
    await Promise.resolve();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(bus);
        return;
      } catch (error) {
        if (attempt >= this.attempts) {
          this.failures++;
          this.logger.error('event delivery failed', {
            type: event.type,
            id: bus.id,
            at: toChinaIso(this.clock.now()),
            error,
          });
          if (rethrow) throw error;
          return;
        }
      }
    }
  }

  /** Resolves when nothing is left to deliver. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Events given up after every attempt failed (logged). */
  get failed(): number {
    return this.failures;
  }
}

const CaseRef = z.object({ caseNo: z.string().min(1).max(64) });
const BusDetail = {
  'case.decided': CaseRef,
  'case.received': CaseRef,
  'case.accepted': CaseRef,
  'case.returned': CaseRef.extend({ at: z.string().min(1).max(40) }),
  'case.withdrawn-deemed': CaseRef,
  'reply.unreadable': CaseRef,
  'followup.opened': CaseRef.extend({ followUpId: z.string().min(1).max(80) }),
  'complaint.answered': z.object({ complaintId: z.string().min(1).max(64) }),
  'deadline.warning': z.object({
    ref: z.string().min(1).max(80),
    itemKind: z.enum(['case', 'task', 'followup', 'complaint']),
    colour: z.enum(['yellow', 'red']),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    department: z.string().max(16),
    staffId: z.string().min(1).max(64),
  }),
  'code.requested': z.object({
    ref: z.string().regex(/^(case|phone)#[A-Za-z0-9._-]{1,64}$/),
    nonce: z.string().min(1).max(64),
  }),
} satisfies Record<DomainEventType, z.ZodType>;

/** The domain event inside a bus event; undefined when it is not one of ours (a retry cannot fix that). */
export function fromBusEvent(event: unknown): DomainEvent | undefined {
  const e = event as Partial<BusEvent> | undefined;
  if (!e || e.source !== EVENT_SOURCE || typeof e['detail-type'] !== 'string') return undefined;
  if (!Object.hasOwn(BusDetail, e['detail-type'])) return undefined;
  const type = e['detail-type'] as DomainEventType;
  const schema = BusDetail[type];
  const detail = schema.safeParse(e.detail);
  return detail.success ? ({ type, ...detail.data } as DomainEvent) : undefined;
}
