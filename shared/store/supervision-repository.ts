/**
 * What electronic supervision reads and writes, with Queries only (never a Scan): everything
 * open that is due before a bound, per department, and the warning recorded on it.
 *
 *   - open cases and review tasks: the sparse open-by-deadline index,
 *       obdpk = DEPT#<dept> AND obdsk < <bound>        (obdsk = <due>#<caseNo>)
 *   - open bad-rating follow-ups: the worklist index under FOLLOWUPS#<dept>, wlsk < <bound>
 *   - unanswered complaints: the worklist index under COMPLAINTS#OPEN, wlsk < <bound>
 *
 * Every one of these is sparse (only open items carry the keys) and sorted by due date, so a
 * sweep reads the open items near or past their deadline and nothing else: its cost grows with
 * what is open, never with what was ever received.
 *
 * A warning is recorded with one conditional UpdateItem on the item read: the colour's instant
 * in `warnings`, one history entry, and the version bumped, on condition that the version is
 * still the one read and the colour was not recorded. So it is recorded once, however many
 * sweeps run at once, and a staff member's concurrent save (conditional on the version it
 * read) fails and retries instead of overwriting the warning.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { outboxAttributes, PENDING_GRACE_MS, type StoredEffect } from './outbox-repository';
import type { WatchedKind, Warnings } from '../domain/supervision';
import { isConditionFailed, queryAll } from './dynamo';
import { listPartitions, openByDeadlinePartition, type Key } from './keys';
import { projection } from './report-repository';

/** One open thing with a due date, as the sweep reads it (no personal data is projected). */
export interface WatchedRow {
  kind: WatchedKind;
  key: Key;
  /** caseNo, taskId, follow-up id or complaint id. */
  id: string;
  caseNo?: string;
  taskId?: string;
  department?: string;
  itemCode?: string;
  /** The case's or task's status, the follow-up's or complaint's state. */
  status: string;
  /** YYYY-MM-DD, China time. */
  due: string;
  /** When the clock of this item started: acceptance (case), opening (task, follow-up), receipt (complaint). */
  openedAt?: string;
  assignee?: string;
  post?: string;
  warnings?: Warnings;
  version?: number;
  escalatedAt?: string;
}

const OBD_PROJECTION = projection([
  'pk',
  'sk',
  'entity',
  'caseNo',
  'taskId',
  'department',
  'itemCode',
  'status',
  'obdsk',
  'acceptedAt',
  'openedAt',
  'assignee',
  'post',
  'warnings',
  'version',
  'escalatedAt',
]);
const FOLLOW_UP_PROJECTION = projection([
  'pk',
  'sk',
  'id',
  'caseNo',
  'department',
  'state',
  'due',
  'openedAt',
  'assignee',
  'warnings',
  'version',
]);
const COMPLAINT_PROJECTION = projection([
  'pk',
  'sk',
  'id',
  'caseNo',
  'department',
  'handlingDepartment',
  'state',
  'due',
  'receivedAt',
  'warnings',
  'version',
]);

/** What each projection reads back (the store trusts the items it wrote). */
interface StoredKeys {
  pk: string;
  sk: string;
}
interface OpenByDeadlineItem extends StoredKeys {
  entity: string;
  caseNo: string;
  taskId?: string;
  department?: string;
  itemCode?: string;
  status: string;
  /** <due>#<caseNo> */
  obdsk: string;
  acceptedAt?: string;
  openedAt?: string;
  assignee?: string;
  post?: string;
  warnings?: Warnings;
  version?: number;
  escalatedAt?: string;
}
interface FollowUpItem extends StoredKeys {
  id: string;
  caseNo?: string;
  department?: string;
  state: string;
  due: string;
  openedAt?: string;
  assignee?: string;
  warnings?: Warnings;
  version?: number;
}
interface ComplaintItem extends StoredKeys {
  id: string;
  caseNo?: string;
  department?: string;
  handlingDepartment?: string;
  state: string;
  due: string;
  receivedAt?: string;
  warnings?: Warnings;
  version?: number;
}

/** A task item on the open-by-deadline index always carries its id. */
function taskIdOf(i: OpenByDeadlineItem): string {
  if (i.taskId === undefined) throw new Error(`the task item ${i.pk} ${i.sk} has no taskId`);
  return i.taskId;
}

export class SupervisionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async queryAll(input: {
    IndexName: string;
    KeyConditionExpression: string;
    values: Record<string, unknown>;
    proj: ReturnType<typeof projection>;
  }): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: input.IndexName,
      KeyConditionExpression: input.KeyConditionExpression,
      ExpressionAttributeValues: input.values,
      ...input.proj,
    });
  }

  /** A department's open cases and review tasks due before `bound` (YYYY-MM-DD, exclusive). */
  async openCasesAndTasksDueBefore(department: string, bound: string): Promise<WatchedRow[]> {
    const items = (await this.queryAll({
      IndexName: 'open-by-deadline',
      KeyConditionExpression: 'obdpk = :p AND obdsk < :bound',
      values: { ':p': openByDeadlinePartition(department), ':bound': bound },
      proj: OBD_PROJECTION,
    })) as unknown as OpenByDeadlineItem[];
    const rows: WatchedRow[] = [];
    for (const i of items) {
      const due = i.obdsk.split('#')[0];
      const common = {
        key: { pk: i.pk, sk: i.sk },
        caseNo: i.caseNo,
        department: i.department ?? department,
        itemCode: i.itemCode,
        status: i.status,
        due,
        assignee: i.assignee,
        warnings: i.warnings,
        version: i.version,
      };
      if (i.entity === 'case')
        rows.push({ ...common, kind: 'case', id: i.caseNo, openedAt: i.acceptedAt, post: i.post });
      else if (i.entity === 'task')
        rows.push({
          ...common,
          kind: 'task',
          id: taskIdOf(i),
          taskId: i.taskId,
          openedAt: i.openedAt,
          escalatedAt: i.escalatedAt,
        });
    }
    return rows;
  }

  /** A department's open bad-rating follow-ups due before `bound`. */
  async openFollowUpsDueBefore(department: string, bound: string): Promise<WatchedRow[]> {
    const items = (await this.queryAll({
      IndexName: 'worklist',
      KeyConditionExpression: 'wlpk = :p AND wlsk < :bound',
      values: { ':p': listPartitions.openFollowUps(department), ':bound': bound },
      proj: FOLLOW_UP_PROJECTION,
    })) as unknown as FollowUpItem[];
    return items.map((i) => ({
      kind: 'followup',
      key: { pk: i.pk, sk: i.sk },
      id: i.id,
      caseNo: i.caseNo,
      department: i.department ?? department,
      status: i.state,
      due: i.due,
      openedAt: i.openedAt,
      assignee: i.assignee,
      warnings: i.warnings,
      version: i.version,
    }));
  }

  /** Unanswered complaints (all departments: one partition) due before `bound`. */
  async openComplaintsDueBefore(bound: string): Promise<WatchedRow[]> {
    const items = (await this.queryAll({
      IndexName: 'worklist',
      KeyConditionExpression: 'wlpk = :p AND wlsk < :bound',
      values: { ':p': listPartitions.openComplaints(), ':bound': bound },
      proj: COMPLAINT_PROJECTION,
    })) as unknown as ComplaintItem[];
    return items.map((i) => ({
      kind: 'complaint',
      key: { pk: i.pk, sk: i.sk },
      id: i.id,
      caseNo: i.caseNo,
      department: i.handlingDepartment ?? i.department,
      status: i.state,
      due: i.due,
      openedAt: i.receivedAt,
      warnings: i.warnings,
      version: i.version,
    }));
  }

  /**
   * Records a warning on the item as read (see the file comment). Returns false when the item
   * changed since it was read or the colour is already recorded: the next sweep looks again.
   */
  async recordWarning(
    row: WatchedRow,
    colour: 'yellow' | 'red',
    at: string,
    entry: Record<string, unknown>,
    /** Effects recorded in the same write (the outbox: the card's event), with the item's outbox index attributes. */
    effects: readonly StoredEffect[] = [],
  ): Promise<boolean> {
    const warnings: Warnings = { ...row.warnings, [colour]: at };
    const outbox = outboxAttributes(`${row.key.pk}|${row.key.sk}`, effects, new Date(Date.now() + PENDING_GRACE_MS));
    const withEffects = 'pepk' in outbox;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: row.key,
          UpdateExpression: withEffects
            ? 'SET #w = :w, #h = list_append(if_not_exists(#h, :nil), :e), #fx = list_append(if_not_exists(#fx, :nil), :fx), pepk = :pp, pesk = :ps ADD #v :one'
            : 'SET #w = :w, #h = list_append(if_not_exists(#h, :nil), :e) ADD #v :one',
          ConditionExpression:
            row.version === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(#v) AND attribute_not_exists(#w.#c)'
              : 'attribute_exists(pk) AND #v = :read AND attribute_not_exists(#w.#c)',
          ExpressionAttributeNames: {
            '#w': 'warnings',
            '#h': 'history',
            '#v': 'version',
            '#c': colour,
            ...(withEffects ? { '#fx': 'effects' } : {}),
          },
          ExpressionAttributeValues: {
            ':w': warnings,
            ':nil': [],
            ':e': [entry],
            ':one': 1,
            ...(withEffects ? { ':fx': outbox.effects, ':pp': outbox.pepk, ':ps': outbox.pesk } : {}),
            ...(row.version === undefined ? {} : { ':read': row.version }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
