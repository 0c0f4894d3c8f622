/**
 * The outbox, as the store sees it. An item that a transition wrote (a case, a task, a follow-up,
 * a complaint) carries in the same write what must follow it: `effects`, a list of pending
 * effects, and the two attributes of the sparse `pending-effects` index (pepk, pesk), present
 * only while the list is not empty. What an effect is and how it is carried out belongs to
 * shared/usecases/outbox.ts; here an effect is an object with an `id` and a `kind`.
 *
 *  - pepk `PENDING#<n>`: one of PENDING_SHARDS partitions, by a hash of the item's reference, so
 *    a burst of decisions does not write one index partition;
 *  - pesk `<retryAt>#<ref>`: when the job should look at the item, in wall-clock time (not the
 *    hall's clock, which a demo may move): a little after the write, so the job leaves alone
 *    the effects that the request that wrote them is carrying out right now.
 *
 * The effects ride on the record: every repository writes an entity with `...record`, so a
 * later save of a record read while effects were pending writes them again (carried over, never
 * dropped). Removing effects that were carried out (`settle`) is a conditional UpdateItem on the
 * version written; it never bumps the version, so it never makes a staff member's save a 409.
 * If the item changed in between, the list is re-read and only the effects done are taken out.
 * An effect can therefore run more than once (a save of a record read before `settle` writes it
 * again; a job and a request at once): every effect is idempotent.
 */
import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, queryPages } from './dynamo';
import type { Key } from './keys';

/** An effect as stored: its id (unique on its item), its kind, and what its kind needs. */
export interface StoredEffect {
  id: string;
  kind: string;
  [field: string]: unknown;
}

/** What an entity carries while effects are pending (stripped from views, see `withoutOutbox`). */
export interface OutboxFields {
  effects?: StoredEffect[];
  pepk?: string;
  pesk?: string;
}

export const PENDING_SHARDS = 4;
export const PENDING_INDEX = 'pending-effects';
/** How long after a write the job first looks at its effects (the request carries them out meanwhile). */
export const PENDING_GRACE_MS = 30_000;
/** How long the job waits before looking again at an item whose effect failed. */
export const RETRY_AFTER_MS = 60_000;

export function pendingPartition(shard: number): string {
  return `PENDING#${shard}`;
}

function shardOf(ref: string): number {
  return createHash('sha1').update(ref).digest()[0] % PENDING_SHARDS;
}

/** The outbox attributes of an entity with these effects: none when the list is empty. */
export function outboxAttributes(
  ref: string,
  effects: readonly StoredEffect[],
  retryAt: Date,
): Required<OutboxFields> | Record<string, never> {
  if (effects.length === 0) return {};
  return {
    effects: [...effects],
    pepk: pendingPartition(shardOf(ref)),
    pesk: `${retryAt.toISOString()}#${ref}`,
  };
}

/** Adds effects to a record (by id: an effect already there is not added twice). */
export function withEffects<T extends object>(
  record: T,
  ref: string,
  effects: readonly StoredEffect[],
  now: Date = new Date(),
): T & OutboxFields {
  const current = (record as OutboxFields).effects ?? [];
  const ids = new Set(current.map((e) => e.id));
  const all = [...current, ...effects.filter((e) => !ids.has(e.id))];
  const { effects: _e, pepk: _p, pesk: _s, ...rest } = record as T & OutboxFields;
  const existingPesk = (record as OutboxFields).pesk;
  const attrs = outboxAttributes(ref, all, new Date(now.getTime() + PENDING_GRACE_MS));
  // A record that already waited keeps its place in the index (the job looks at it when it was due).
  if (existingPesk && 'pesk' in attrs) attrs.pesk = existingPesk;
  return { ...(rest as T), ...attrs };
}

/** A record without its outbox attributes: what views and responses show. */
export function withoutOutbox<T extends object>(record: T): Omit<T, keyof OutboxFields> {
  const { effects: _e, pepk: _p, pesk: _s, ...rest } = record as T & OutboxFields;
  return rest;
}

export function pendingEffectsOf(record: object): StoredEffect[] {
  return (record as OutboxFields).effects ?? [];
}

/** An item with effects pending, as the index shows it (possibly a little behind the item). */
export interface PendingItem {
  key: Key;
  entity: string;
  version?: number;
  effects: StoredEffect[];
  item: Record<string, unknown>;
}

export interface OutboxStats {
  queries: number;
  pages: number;
  gets: number;
  settles: number;
}

export class OutboxRepository {
  readonly stats: OutboxStats = { queries: 0, pages: 0, gets: 0, settles: 0 };
  private readonly background = new Set<Promise<unknown>>();

  /**
   * Runs a settle after the caller has answered (the request's response does not wait for it);
   * one that fails or never runs (a Lambda frozen after its response) leaves the effects pending,
   * and the job carries them out again: they are idempotent. `idle()` waits for these.
   */
  settleLater(run: () => Promise<unknown>, onError: (error: unknown) => void): void {
    const p: Promise<unknown> = run()
      .catch(onError)
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /** Resolves when no settle started by settleLater is still running (tests; the local runtime's stop). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Wall-clock time, for the index's retry instants (not the hall's clock). */
    readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The items with effects due to be looked at by `dueBy` (every one when undefined), page by
   * page: one Query per shard of the sparse index, never a Scan.
   */
  async *pending(dueBy?: Date): AsyncGenerator<PendingItem[], void, undefined> {
    for (let shard = 0; shard < PENDING_SHARDS; shard++) {
      this.stats.queries++;
      const bound = dueBy ? { ':due': `${dueBy.toISOString()}~` } : {};
      for await (const page of queryPages(this.db, {
        TableName: this.tableName,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: dueBy ? 'pepk = :p AND pesk < :due' : 'pepk = :p',
        ExpressionAttributeValues: { ':p': pendingPartition(shard), ...bound },
      })) {
        this.stats.pages++;
        yield page.map((item) => ({
          key: { pk: item.pk as string, sk: item.sk as string },
          entity: item.entity as string,
          version: item.version as number | undefined,
          effects: (item.effects ?? []) as StoredEffect[],
          item,
        }));
      }
    }
  }

  /** The item as it is now (consistent read). */
  async read(key: Key): Promise<Record<string, unknown> | undefined> {
    this.stats.gets++;
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /**
   * Takes the effects `done` out of the item's list, as written at `version`. The rest stay,
   * due again `retryAfterMs` from now when some failed; the index attributes go with the last.
   * Returns false when the item is gone.
   */
  async settle(
    key: Key,
    version: number | undefined,
    written: readonly StoredEffect[],
    done: ReadonlySet<string>,
    retryAfterMs = RETRY_AFTER_MS,
  ): Promise<boolean> {
    let expected = version;
    let list = written;
    for (let attempt = 0; attempt < 5; attempt++) {
      const rest = list.filter((e) => !done.has(e.id));
      if (rest.length === list.length && attempt > 0) return true; // nothing of ours is left
      const ref = `${key.pk}|${key.sk}`;
      const attrs = outboxAttributes(ref, rest, new Date(this.now().getTime() + retryAfterMs));
      try {
        this.stats.settles++;
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            ...(rest.length === 0
              ? { UpdateExpression: 'REMOVE #fx, pepk, pesk' }
              : {
                  UpdateExpression: 'SET #fx = :fx, pepk = :pp, pesk = :ps',
                  ExpressionAttributeValues: { ':fx': attrs.effects, ':pp': attrs.pepk, ':ps': attrs.pesk },
                }),
            ConditionExpression:
              expected === undefined ? 'attribute_exists(pk) AND attribute_not_exists(#v)' : '#v = :v',
            ExpressionAttributeNames: { '#fx': 'effects', '#v': 'version' },
            ...(expected === undefined
              ? {}
              : {
                  ExpressionAttributeValues: {
                    ':v': expected,
                    ...(rest.length === 0 ? {} : { ':fx': attrs.effects, ':pp': attrs.pepk, ':ps': attrs.pesk }),
                  },
                }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // Written again since (a later transition, or a save that carried the effects over): read it and try again.
        const item = await this.read(key);
        if (!item) return false;
        expected = item.version as number | undefined;
        list = (item.effects ?? []) as StoredEffect[];
        if (!list.some((e) => done.has(e.id))) return true;
      }
    }
    return false;
  }
}
