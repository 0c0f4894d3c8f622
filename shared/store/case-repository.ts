/**
 * Cases in DynamoDB. Every write is a single-item conditional write: creation requires the
 * case not to exist; every later save requires the version read before it, so two staff
 * acting at once cannot both succeed, and the history travels in the same write. So do the
 * effects that must follow it (the outbox: shared/store/outbox-repository.ts): the ones the
 * record carries, and the month touches of the version written.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../domain/case';
import { reportRow, touchedMonths } from '../domain/report-months';
import { counterValue, isConditionFailed, putIfAbsent, putIfVersion } from './dynamo';
import { caseIndexAttributes, keys, monthTouchIndexAttributes, reportKeys, stripKeys } from './keys';
import { OutboxRepository, pendingEffectsOf, withEffects, type OutboxFields } from './outbox-repository';

/** Told when a month touch could not be written (the case write had succeeded); see `writeMonthTouches`. */
export type TouchFailureListener = (caseNo: string, month: string, error: unknown) => void;

/** How many case numbers a process reserves at a time (see nextSequence). */
export const SEQUENCE_BLOCK = 10;

export class CaseRepository {
  private readonly outbox: OutboxRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly onTouchFailed?: TouchFailureListener,
  ) {
    this.outbox = new OutboxRepository(db, tableName);
  }

  private item(c: CaseRecord): Record<string, unknown> {
    return { ...keys.case(c.caseNo), entity: 'case', ...caseIndexAttributes(c), ...c };
  }

  /**
   * The record to write: its month touches, when it has any, recorded as a pending effect of
   * this version (written right after the case, and by the outbox job if that fails).
   */
  private withTouches(c: CaseRecord): CaseRecord & OutboxFields {
    if (touchedMonths(c).length === 0) return c;
    return withEffects(c, `${keys.case(c.caseNo).pk}|CASE`, [
      { id: `${c.version}:month-touches`, kind: 'month-touches' },
    ]);
  }

  /** Writes a new case; returns false when a case with that number already exists. */
  async create(c: CaseRecord): Promise<boolean> {
    const record = this.withTouches(c);
    if (!(await putIfAbsent(this.db, this.tableName, this.item(record)))) return false;
    await this.touchesNow(record);
    return true;
  }

  async get(caseNo: string): Promise<CaseRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(caseNo), ConsistentRead: true }),
    );
    return out.Item ? stripKeys(out.Item, 'case') : undefined;
  }

  /**
   * Saves a new state of a case read at `expectedVersion` (the record carries expectedVersion + 1).
   * Throws ConflictError when someone else changed the case in between.
   */
  async save(c: CaseRecord, expectedVersion: number): Promise<void> {
    if (c.version !== expectedVersion + 1) throw new Error('save: the record must carry the next version');
    const record = this.withTouches(c);
    await putIfVersion(this.db, this.tableName, this.item(record), expectedVersion, `case ${c.caseNo}`, {
      caseNo: c.caseNo,
    });
    await this.touchesNow(record);
  }

  /**
   * The month touches of a version just written, at once: when they are the only effect
   * pending, they are taken off the item here; otherwise the caller's carrying out of the rest
   * settles them with the others (shared/usecases/outbox.ts). A failure leaves them pending
   * for the outbox job, and is told to `onTouchFailed`: the transition itself did happen.
   */
  private async touchesNow(c: CaseRecord & OutboxFields): Promise<void> {
    const id = `${c.version}:month-touches`;
    const effects = pendingEffectsOf(c);
    if (!effects.some((e) => e.id === id)) return;
    try {
      await this.writeMonthTouches(c);
    } catch (error) {
      for (const month of touchedMonths(c)) this.onTouchFailed?.(c.caseNo, month, error);
      return;
    }
    if (effects.every((e) => e.kind === 'month-touches'))
      await this.outbox
        .settle(keys.case(c.caseNo), c.version, effects, new Set(effects.map((e) => e.id)))
        .catch((error: unknown) => {
          for (const month of touchedMonths(c)) this.onTouchFailed?.(c.caseNo, month, error);
        });
  }

  /**
   * Writes the month touches of a case just saved (shared/domain/report-months.ts): for each
   * month it counts in other than its month of receipt, a small item with the report projection,
   * in the by-month index under that month. Usually none (received, accepted and decided in one
   * month); at most a few. Idempotent and monotonic: a touch is replaced only by the same or a
   * later version of the case, so a slow earlier save never overwrites a later one.
   *
   * Recorded with the case write as a pending effect (the outbox), so a crash or a failed touch
   * write is repaired by the outbox job; it throws on failure (save() reports it to
   * `onTouchFailed` and leaves the effect pending).
   */
  async writeMonthTouches(c: CaseRecord): Promise<void> {
    const months = touchedMonths(c);
    if (months.length === 0) return;
    const row = reportRow(c);
    await Promise.all(
      months.map(async (month) => {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: {
                ...reportKeys.monthTouch(c.caseNo, month),
                entity: 'month-touch',
                ...monthTouchIndexAttributes(c.department, c.caseNo, month),
                version: c.version,
                ...row,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR version <= :v',
              ExpressionAttributeValues: { ':v': c.version },
            }),
          );
        } catch (error) {
          if (isConditionFailed(error)) return; // a later version of the case already wrote it
          throw error;
        }
      }),
    );
  }

  /**
   * Appends one department's review entry and its history line to a case, without the version
   * condition of save(): an UpdateItem that lists them onto the item and bumps the version,
   * conditional only on the status read and on this entry not being recorded yet (`reviewKeys`,
   * a string set). So the departments of a joint case deciding together never refuse each
   * other (each would otherwise re-read and write the whole item); a save() of a record read
   * before the append fails its version condition and is tried again on the new state, as any
   * concurrent save. False when the condition did not hold (the caller falls back to save()).
   */
  async appendReview(
    caseNo: string,
    status: string,
    entryKey: string,
    entry: Record<string, unknown>,
    history: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.case(caseNo),
          UpdateExpression:
            'SET #r = list_append(if_not_exists(#r, :nil), :r), #h = list_append(#h, :h) ADD #v :one, #rk :k',
          ConditionExpression: 'attribute_exists(pk) AND #s = :s AND NOT contains(#rk, :key)',
          ExpressionAttributeNames: {
            '#r': 'reviews',
            '#h': 'history',
            '#v': 'version',
            '#rk': 'reviewKeys',
            '#s': 'status',
          },
          ExpressionAttributeValues: {
            ':nil': [],
            ':r': [entry],
            ':h': [history],
            ':one': 1,
            ':k': new Set([entryKey]),
            ':key': entryKey,
            ':s': status,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** The next number in a department's sequence for a China date (an atomic counter). */
  /**
   * The next number in a department's sequence for a China date. Numbers are reserved from
   * the atomic counter in blocks of SEQUENCE_BLOCK per process, so most submissions make one
   * write, not two. The price: a process that stops (a Lambda container recycled, a restart)
   * leaves the rest of its block unused, so a day's numbers can have gaps, and two processes
   * hand out numbers from different blocks at once. Numbers are never reused.
   */
  async nextSequence(department: string, date: string): Promise<number> {
    const key = `${department}#${date}`;
    for (;;) {
      let pending = this.blocks.get(key);
      if (!pending) {
        for (const k of this.blocks.keys()) if (k.startsWith(`${department}#`)) this.blocks.delete(k); // an earlier day's block
        const created = this.reserve(department, date);
        created.catch(() => {
          if (this.blocks.get(key) === created) this.blocks.delete(key);
        });
        this.blocks.set(key, (pending = created));
      }
      const block = await pending;
      if (block.next <= block.last) return block.next++;
      if (this.blocks.get(key) === pending) this.blocks.delete(key); // used up: reserve the next block
    }
  }

  private readonly blocks = new Map<string, Promise<{ next: number; last: number }>>();

  private reserve(department: string, date: string): Promise<{ next: number; last: number }> {
    return this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.caseSequence(department, date),
          UpdateExpression: 'ADD seq :n SET entity = :e',
          ExpressionAttributeValues: { ':n': SEQUENCE_BLOCK, ':e': 'sequence' },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      .then((out) => {
        const last = counterValue(out.Attributes, 'seq');
        return { next: last - SEQUENCE_BLOCK + 1, last };
      });
  }
}
