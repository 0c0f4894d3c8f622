/**
 * The outbox: every consequence of a transition is recorded on the item in the same conditional
 * write as the transition (shared/store/outbox-repository.ts), carried out right after by the
 * request that made it (`carryOut`), and carried out again by the `outbox` job until it is done
 * (`runOutbox`; every minute, and at the local runtime's start). An effect is done only once its
 * port has taken it on durably: PutEvents accepted (AWS), or the event handled (the local
 * in-memory bus), the filing written, the execution started.
 *
 * Effects are idempotent, so running one twice changes nothing:
 *  - publish: any DomainEvent; what reacts to it is idempotent (notify sends by SMS key:
 *    completion#<caseNo>, warning#<id>#<colour>, complaint-answer#<id>, followup#<caseNo>);
 *  - file-denial: one filing item per case and instant (a Put of the same key);
 *  - schedule-rating: one RATEDUE item per case and day;
 *  - month-touches: written only over an earlier version of the case (a version condition);
 *  - start-review: the execution is named by the case number (starting it twice is harmless).
 *
 * What this does not promise: an effect runs at least once, not exactly once (its idempotence
 * makes that invisible); an effect that fails every time stays pending, retried each minute,
 * and is logged (`outbox effect failed`) with the item's key for an operator.
 */
import type { CaseRecord } from '../domain/case';
import type { FeedbackSettings } from '../domain/rating';
import type { Catalog } from '../domain/catalog';
import type { DomainEvent, Events } from '../adapters/events';
import type { Logger } from '../adapters/logger';
import type { Workflow } from '../adapters/workflow';
import type { CaseRepository } from '../store/case-repository';
import type { DenialRepository } from '../store/denial-repository';
import type { RatingDueRepository } from '../store/rating-due-repository';
import { stripKeys, type Key } from '../store/keys';
import {
  pendingEffectsOf,
  withEffects,
  type OutboxRepository,
  type PendingItem,
  type StoredEffect,
} from '../store/outbox-repository';
import { fileDenialIfDenied } from './decisions';
import { scheduleDefaultRating } from './ratings';
import { startReview } from './review';

/** What must follow a write. `publish` carries any DomainEvent; the others act on the case the effect is on. */
export type Effect =
  | { id: string; kind: 'publish'; event: DomainEvent }
  | { id: string; kind: 'file-denial' }
  | { id: string; kind: 'schedule-rating' }
  | { id: string; kind: 'month-touches' }
  | { id: string; kind: 'start-review' };

export type EffectKind = Effect['kind'];

/** An event to publish, with an id unique on its item (the version written, or what makes it unique). */
export function publishEffect(event: DomainEvent, tag: string | number): Effect {
  return { id: `${tag}:publish:${event.type}`, kind: 'publish', event };
}

export interface OutboxDeps {
  outbox: OutboxRepository;
  events: Events;
  logger: Logger;
  cases: CaseRepository;
  denials: DenialRepository;
  ratingDue: RatingDueRepository;
  feedback: FeedbackSettings;
  workflow: Workflow;
  catalog: Catalog;
}

/** The reference of an item in the outbox index (its shard and sort key). */
export function refOf(key: Key): string {
  return `${key.pk}|${key.sk}`;
}

/** A record with effects added, ready for its conditional write (see outbox-repository.ts). */
export function recordEffects<T extends object>(record: T, key: Key, effects: readonly Effect[], now?: Date): T {
  return withEffects(record, refOf(key), effects as unknown as StoredEffect[], now);
}

function asCase(item: Record<string, unknown>): CaseRecord {
  return stripKeys(item, 'case');
}

/** Publishes so that the event is not lost if this process stops now: the port's durable form when it has one. */
async function publishDurably(events: Events, event: DomainEvent): Promise<void> {
  if (events.publishDurably) await events.publishDurably(event);
  else await events.publish(event);
}

/** Carries out one effect on the record it was recorded on. */
async function run(effect: Effect, record: Record<string, unknown>, deps: OutboxDeps): Promise<void> {
  switch (effect.kind) {
    case 'publish':
      await publishDurably(deps.events, effect.event);
      return;
    case 'file-denial':
      await fileDenialIfDenied(asCase(record), deps);
      return;
    case 'schedule-rating':
      await scheduleDefaultRating(asCase(record), deps);
      return;
    case 'month-touches':
      await deps.cases.writeMonthTouches(asCase(record));
      return;
    case 'start-review': {
      const c = asCase(record);
      if (c.status === 'in-review') await startReview(c, deps);
      return;
    }
  }
}

export interface CarryResult {
  done: number;
  failed: number;
}

/**
 * Carries out the effects pending on an item as written at `version`, then takes the ones done
 * off it. A failure is logged and left pending for the job; it never fails the caller, whose
 * transition is saved.
 */
export async function carryOutEffects(
  key: Key,
  version: number | undefined,
  record: Record<string, unknown>,
  effects: readonly StoredEffect[],
  deps: OutboxDeps,
  options: { settleInBackground?: boolean } = {},
): Promise<CarryResult> {
  if (effects.length === 0) return { done: 0, failed: 0 };
  const done = new Set<string>();
  let failed = 0;
  // In the order recorded: a filing before the event that tells the applicant.
  for (const effect of effects as unknown as Effect[]) {
    try {
      await run(effect, record, deps);
      done.add(effect.id);
    } catch (error) {
      failed++;
      deps.logger.warn('outbox effect failed; the outbox job will carry it out again', {
        pk: key.pk,
        sk: key.sk,
        effect: effect.id,
        error,
      });
    }
  }
  if (done.size > 0) {
    // Left pending when this fails: the job will run the effects again (each is idempotent) and settle them.
    const unsettled = (error: unknown) => {
      deps.logger.warn('outbox effects done but not taken off the item; the job will settle them', {
        pk: key.pk,
        sk: key.sk,
        error,
      });
    };
    if (options.settleInBackground)
      deps.outbox.settleLater(() => deps.outbox.settle(key, version, effects, done), unsettled);
    else {
      try {
        await deps.outbox.settle(key, version, effects, done);
      } catch (error) {
        unsettled(error);
      }
    }
  }
  return { done: done.size, failed };
}

/**
 * The effects pending on a case just saved, carried out now (window decisions, acceptance,
 * consolidation); taking them off the item runs after the answer (settleLater), so a decision
 * waits for its effects, not for their bookkeeping.
 */
export async function carryOut(c: CaseRecord, deps: OutboxDeps): Promise<CarryResult> {
  const key = { pk: `CASE#${c.caseNo}`, sk: 'CASE' };
  return carryOutEffects(key, c.version, c as unknown as Record<string, unknown>, pendingEffectsOf(c), deps, {
    settleInBackground: true,
  });
}

export interface OutboxRun {
  /** Items found with effects due. */
  items: number;
  /** Effects carried out now. */
  done: number;
  /** Effects that failed again (left pending, due again in a minute). */
  failed: number;
}

export interface OutboxRunOptions {
  /** Every pending item, not only those due (the local runtime at start: no request of this process is carrying any out). */
  all?: boolean;
  /** Items carried out at once. */
  concurrency?: number;
}

/** The job: every item with effects due, from the sparse index (one Query per shard), carried out and settled. */
export async function runOutbox(deps: OutboxDeps, options: OutboxRunOptions = {}): Promise<OutboxRun> {
  const result: OutboxRun = { items: 0, done: 0, failed: 0 };
  const dueBy = options.all ? undefined : deps.outbox.now();
  const limit = options.concurrency ?? 8;
  for await (const page of deps.outbox.pending(dueBy)) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < page.length) {
        const p: PendingItem = page[next++];
        result.items++;
        const r = await carryOutEffects(p.key, p.version, p.item, p.effects, deps);
        result.done += r.done;
        result.failed += r.failed;
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, page.length) }, worker));
  }
  return result;
}
