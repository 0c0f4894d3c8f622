/**
 * Faults injected: wrappers around the store (the DynamoDB document client), the event bus, the
 * SMS carrier and the workflow that fail a set share of calls the way those services fail:
 *
 *  - throttle: ThrottlingException (400, retryable), before the call reaches the service;
 *  - server:   InternalServerError (500), before the call;
 *  - timeout:  TimeoutError after the call was made: the service did it, the caller cannot know;
 *  - reset:    ECONNRESET after the call was made (the same ambiguity).
 *
 * Failures are drawn above the SDK's own retries: what is injected reaches the code, so the
 * outbox, the idempotent retries and the 503 mapping are what is tested. The SMS carrier is only
 * failed before the hand-over (a carrier takes no idempotency key: a message it accepted and
 * whose answer was lost is a duplicate nobody can prevent, and is not what is measured here).
 *
 * `outage` makes every call to a target fail as a stopped service does (ECONNREFUSED) until it
 * is lifted: the store stopped in the middle of a run. Only the local runtime wires this, from
 * ONEWINDOW_FAULT_RATE and its companions (shared/config.ts); in AWS nothing is injected.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, Events } from './events';
import type { SmsMessage, SmsTransport } from './ports';
import type { ReviewInput, Workflow } from './workflow';

export type FaultKind = 'throttle' | 'server' | 'timeout' | 'reset';
export type FaultTarget = 'store' | 'events' | 'sms' | 'workflow';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server', 'timeout', 'reset'];
export const FAULT_TARGETS: readonly FaultTarget[] = ['store', 'events', 'sms', 'workflow'];

export interface FaultSettings {
  /** The share of calls that fail, 0 to 1. */
  rate: number;
  kinds?: readonly FaultKind[];
  targets?: readonly FaultTarget[];
  /** A seed makes the draws repeatable. */
  seed?: number;
}

export interface FaultStats {
  calls: number;
  injected: number;
  byKind: Record<FaultKind, number>;
  byTarget: Record<FaultTarget, number>;
  /** Calls refused by an outage. */
  refused: number;
}

/** A small seeded generator (mulberry32): repeatable draws without a dependency. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultError(kind: FaultKind | 'refused', where: string): Error {
  const e = (name: string, message: string, extra: Record<string, unknown>) =>
    Object.assign(new Error(`${message} (injected, ${where})`), { name, ...extra });
  switch (kind) {
    case 'throttle':
      return e('ThrottlingException', 'Rate of requests exceeds the allowed throughput', {
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      });
    case 'server':
      return e('InternalServerError', 'Internal server error', {
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    case 'timeout':
      return e('TimeoutError', 'Connection timed out after the request was sent', { code: 'ETIMEDOUT' });
    case 'reset':
      return e('Error', 'socket hang up', { code: 'ECONNRESET' });
    case 'refused':
      return e('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' });
  }
}

export class FaultInjector {
  readonly stats: FaultStats = {
    calls: 0,
    injected: 0,
    byKind: { throttle: 0, server: 0, timeout: 0, reset: 0 },
    byTarget: { store: 0, events: 0, sms: 0, workflow: 0 },
    refused: 0,
  };
  private readonly random: () => number;
  private readonly kinds: readonly FaultKind[];
  private readonly targets: ReadonlySet<FaultTarget>;
  private readonly outages = new Set<FaultTarget>();
  rate: number;

  constructor(settings: FaultSettings) {
    if (!(settings.rate >= 0 && settings.rate <= 1)) throw new RangeError('the fault rate is a share from 0 to 1');
    this.rate = settings.rate;
    this.kinds = settings.kinds?.length ? settings.kinds : FAULT_KINDS;
    this.targets = new Set(settings.targets?.length ? settings.targets : FAULT_TARGETS);
    this.random = settings.seed === undefined ? Math.random : seeded(settings.seed);
  }

  private readonly scripted: {
    target: FaultTarget;
    where: RegExp;
    kind: FaultKind;
    when?: (input: unknown) => boolean;
  }[] = [];

  /** The next call to `target` whose name matches `where` (and whose input `when` accepts) fails with `kind`, once. */
  failNext(target: FaultTarget, where: RegExp, kind: FaultKind, when?: (input: unknown) => boolean): void {
    this.scripted.push({ target, where, kind, when });
  }

  /** Every call to `target` fails as a stopped service does, until `restore`. */
  outage(target: FaultTarget): void {
    this.outages.add(target);
  }

  restore(target: FaultTarget): void {
    this.outages.delete(target);
  }

  /** The fault this call gets, if any (counted); throws at once for an outage. */
  draw(
    target: FaultTarget,
    where: string,
    allowed: readonly FaultKind[] = this.kinds,
    input?: unknown,
  ): FaultKind | undefined {
    this.stats.calls++;
    if (this.outages.has(target)) {
      this.stats.refused++;
      throw faultError('refused', where);
    }
    const i = this.scripted.findIndex((f) => f.target === target && f.where.test(where) && (!f.when || f.when(input)));
    if (i >= 0) {
      const [f] = this.scripted.splice(i, 1);
      this.stats.injected++;
      this.stats.byKind[f.kind]++;
      this.stats.byTarget[target]++;
      return f.kind;
    }
    if (!this.targets.has(target) || this.rate === 0 || this.random() >= this.rate) return undefined;
    const kinds = this.kinds.filter((k) => allowed.includes(k));
    if (kinds.length === 0) return undefined;
    const kind = kinds[Math.floor(this.random() * kinds.length)];
    this.stats.injected++;
    this.stats.byKind[kind]++;
    this.stats.byTarget[target]++;
    return kind;
  }

  /** Runs `call` with a drawn fault: before it (throttle, server) or after it, its outcome lost (timeout, reset). */
  async around<T>(
    target: FaultTarget,
    where: string,
    call: () => Promise<T>,
    allowed?: readonly FaultKind[],
    input?: unknown,
  ): Promise<T> {
    const kind = this.draw(target, where, allowed, input);
    if (kind === 'throttle' || kind === 'server') throw faultError(kind, where);
    const out = await call();
    if (kind) throw faultError(kind, where);
    return out;
  }
}

/** Injects faults into every command sent through this client (and the client it wraps). */
export function injectStoreFaults(db: DynamoDBDocumentClient, faults: FaultInjector): void {
  db.middlewareStack.add(
    (next, context) => (args) =>
      faults.around('store', context.commandName ?? 'DynamoDB', () => next(args), undefined, args.input),
    { step: 'initialize', name: 'onewindowFaultInjection', priority: 'high' },
  );
}

/** Counts the conditional writes DynamoDB refused (ConditionalCheckFailedException), for the benchmarks. */
export function countConditionalRefusals(db: DynamoDBDocumentClient): { refused: number; writes: number } {
  const counter = { refused: 0, writes: 0 };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const conditional =
        /Put|Update|Delete/.test(name) && !!(args.input as { ConditionExpression?: string }).ConditionExpression;
      if (conditional) counter.writes++;
      try {
        return await next(args);
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') counter.refused++;
        throw error;
      }
    },
    { step: 'initialize', name: 'onewindowConditionalCount', priority: 'low' },
  );
  return counter;
}

export class FaultyEvents implements Events {
  constructor(
    private readonly inner: Events,
    private readonly faults: FaultInjector,
  ) {}

  publish(event: DomainEvent): Promise<void> {
    return this.faults.around('events', `publish ${event.type}`, () => this.inner.publish(event));
  }

  publishDurably(event: DomainEvent): Promise<void> {
    return this.faults.around('events', `publish ${event.type}`, () =>
      this.inner.publishDurably ? this.inner.publishDurably(event) : this.inner.publish(event),
    );
  }
}

export class FaultySmsTransport implements SmsTransport {
  constructor(
    private readonly inner: SmsTransport,
    private readonly faults: FaultInjector,
  ) {}

  deliver(message: SmsMessage & { at: string }): Promise<{ messageId?: string }> {
    return this.faults.around('sms', `sms ${message.kind}`, () => this.inner.deliver(message), ['throttle', 'server']);
  }
}

export class FaultyWorkflow implements Workflow {
  constructor(
    private readonly inner: Workflow,
    private readonly faults: FaultInjector,
  ) {}

  start(executionName: string, input: ReviewInput): Promise<{ executionId: string }> {
    return this.faults.around('workflow', 'StartExecution', () => this.inner.start(executionName, input));
  }

  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return this.faults.around('workflow', 'SendTaskSuccess', () => this.inner.sendTaskSuccess(token, output));
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    return this.faults.around('workflow', 'SendTaskFailure', () => this.inner.sendTaskFailure(token, error, cause));
  }
}
