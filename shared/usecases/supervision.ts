/**
 * Electronic supervision (电子监察): the sweep that runs every 15 minutes, and the supervisors'
 * board (GET /supervision). Both read the same Queries (shared/store/supervision-repository.ts):
 * per department, everything open that is due before the sweep bound, i.e. within the largest
 * yellow threshold of today (shared/domain/supervision.ts). What is due later is green.
 *
 * The sweep, for each item now yellow or red whose colour is not yet recorded on it:
 *   1. records the colour on the item (one conditional write: once per colour, see the store),
 *      and in the same write the cards to send (the outbox): a deadline.warning event per
 *      recipient, which the notify function (the only one allowed to send SMS) turns into the
 *      deadlineWarning text, sent with key warning#<id>#<colour> (and #<staff id> for the
 *      supervisors' cards). The card names what it is about (办件, 审查任务, 投诉, 差评回访). A
 *      complaint no department has yet (not about a case of a known department, not transferred
 *      or supervised) is the supervisors' to route: each SUP person of the staff directory gets
 *      its card, and the board lists it under SUP, marked unrouted;
 *   2. carries out the cards now; what a crash or a failed publish leaves pending, the outbox
 *      job publishes again. The SMS port sends a key at most once, so a repeat sends nothing.
 * A warning is recorded once per colour for the life of the item: when a deadline moves later
 * after a warning (a supplement pauses the clock), no second warning of that colour is sent.
 *
 * Timeout default (超时默认) and escalation of overdue review tasks belong to the review function
 * (the task-timeouts job, shared/usecases/review.ts): only it may answer the state machine.
 */
import type { Logger } from '../adapters/logger';
import type { Clock } from '../adapters/ports';
import type { Catalog } from '../domain/catalog';
import { chinaDate, toChinaIso } from '../domain/china-time';
import type { StaffDirectory } from '../domain/staff';
import {
  assess,
  cardRecipients,
  isUnroutedComplaint,
  SUPERVISION_OFFICE,
  UNASSIGNED_DEPARTMENT,
  givenLimit,
  largestYellowThreshold,
  supervisionSettings,
  sweepBound,
  warningEntry,
  warningToRecord,
  type Assessment,
  type SupervisionSettings,
} from '../domain/supervision';
import type { CalendarRepository } from '../store/calendar-repository';
import type { SupervisionRepository, WatchedRow } from '../store/supervision-repository';
import type { StoredEffect } from '../store/outbox-repository';
import { carryOutEffects, publishEffect, type OutboxDeps } from './outbox';

export interface SupervisionDeps extends OutboxDeps {
  supervision: SupervisionRepository;
  catalog: Catalog;
  calendar: CalendarRepository;
  clock: Clock;
  logger: Logger;
  /** The staff directory: who the supervisors are (they get the cards of complaints no department has yet). */
  staff: Pick<StaffDirectory, 'supervisors'>;
  supervisionSettings?: Partial<SupervisionSettings>;
}

/** An item as supervisors see it: no personal data. */
export interface WatchedView {
  kind: WatchedRow['kind'];
  id: string;
  caseNo?: string;
  taskId?: string;
  department: string;
  itemCode?: string;
  status: string;
  due: string;
  colour: 'yellow' | 'red';
  workingDaysLeft: number;
  daysOverdue: number;
  assignee?: string;
  post?: string;
  warnedAt?: string;
  /** A complaint no department has yet: under SUP, whose supervisors must route it (分派). */
  unrouted?: true;
}

type Assessed = WatchedRow & Assessment;

const CASE_STATUSES_ON_THE_CLOCK = new Set(['accepted', 'in-review']);

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Everything open that is yellow or red today, assessed; read with the sweep's Queries. */
export async function watchedNow(
  deps: SupervisionDeps,
): Promise<{ today: string; settings: SupervisionSettings; bound: string; items: Assessed[] }> {
  const settings = supervisionSettings(deps.supervisionSettings);
  const calendar = await deps.calendar.current();
  const today = chinaDate(deps.clock.now());
  const bound = sweepBound(calendar, today, largestYellowThreshold(deps.catalog, settings));

  const rows: WatchedRow[] = [];
  const departments = deps.catalog.departments().map((d) => d.code);
  await eachLimited(departments, 4, async (department) => {
    const [open, followUps] = await Promise.all([
      deps.supervision.openCasesAndTasksDueBefore(department, bound),
      deps.supervision.openFollowUpsDueBefore(department, bound),
    ]);
    rows.push(...open, ...followUps);
  });
  rows.push(...(await deps.supervision.openComplaintsDueBefore(bound)));

  const items: Assessed[] = [];
  for (const row of rows) {
    // A submitted case's date is its pre-review due date (art. 32, handled by its own job), not a deadline.
    if (row.kind === 'case' && !CASE_STATUSES_ON_THE_CLOCK.has(row.status)) continue;
    // A decided task is in the index only while its written opinion is owed: that is a duty too.
    if (row.kind === 'task' && row.status !== 'open' && row.status !== 'decided') continue;
    const item = row.kind === 'case' && row.itemCode ? deps.catalog.item(row.itemCode) : undefined;
    const limit = item ? item.committedLimit : givenLimit(row.openedAt, row.due, calendar);
    const a = assess(row.due, limit, today, calendar, settings);
    if (a.colour !== 'green') items.push({ ...row, ...a });
  }
  items.sort((x, y) => (x.due < y.due ? -1 : x.due > y.due ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { today, settings, bound, items };
}

function view(i: Assessed): WatchedView {
  const unrouted = isUnroutedComplaint(i);
  return {
    kind: i.kind,
    id: i.id,
    ...(i.caseNo ? { caseNo: i.caseNo } : {}),
    ...(i.taskId ? { taskId: i.taskId } : {}),
    department: unrouted ? SUPERVISION_OFFICE : (i.department ?? UNASSIGNED_DEPARTMENT),
    ...(i.itemCode ? { itemCode: i.itemCode } : {}),
    status: i.kind === 'task' && i.status === 'decided' ? 'opinion-owed' : i.status,
    due: i.due,
    colour: i.colour as 'yellow' | 'red',
    workingDaysLeft: i.workingDaysLeft,
    daysOverdue: i.daysOverdue,
    ...(i.assignee ? { assignee: i.assignee } : {}),
    ...(i.post ? { post: i.post } : {}),
    ...(i.warnings?.[i.colour as 'yellow' | 'red'] ? { warnedAt: i.warnings[i.colour as 'yellow' | 'red'] } : {}),
    ...(unrouted ? { unrouted: true as const } : {}),
  };
}

/** GET /supervision: the yellow and red lists (earliest due first) and the counts per department. */
export async function supervisionBoard(deps: SupervisionDeps) {
  const { today, settings, items } = await watchedNow(deps);
  const views = items.map(view);
  const counts = new Map<string, { department: string; yellow: number; red: number }>(
    deps.catalog.departments().map((d) => [d.code, { department: d.code, yellow: 0, red: 0 }]),
  );
  for (const v of views) {
    const c = counts.get(v.department) ?? { department: v.department, yellow: 0, red: 0 };
    c[v.colour]++;
    counts.set(v.department, c);
  }
  return {
    asOf: today,
    thresholds: { yellowDays: settings.yellowDays, yellowFraction: settings.yellowFraction },
    yellow: views.filter((v) => v.colour === 'yellow'),
    red: views.filter((v) => v.colour === 'red'),
    byDepartment: [...counts.values()],
  };
}

export interface SweepResult {
  today: string;
  bound: string;
  /** Items read that are yellow or red now. */
  yellow: number;
  red: number;
  /** Warnings recorded by this run (first time in that colour). */
  recorded: number;
  /** Cards asked of the notify function by this run (once per item and colour; it drops repeats by SMS key). */
  cardsQueued: number;
}

/** The sweep (EventBridge every 15 minutes in AWS, the local scheduler on one machine). */
export async function runSupervisionSweep(deps: SupervisionDeps): Promise<SweepResult> {
  const { today, bound, items } = await watchedNow(deps);
  const at = toChinaIso(deps.clock.now());
  const result: SweepResult = { today, bound, yellow: 0, red: 0, recorded: 0, cardsQueued: 0 };

  for (const i of items) {
    const colour = i.colour as 'yellow' | 'red';
    result[colour]++;
    const toRecord = warningToRecord(i.colour, i.warnings);
    if (toRecord) {
      // The responsible staff member; for a complaint no department has yet, every supervisor.
      const { department, staffIds } = cardRecipients(i, deps.catalog, deps.staff.supervisors());
      // The cards are recorded with the warning (the outbox) and carried out right after.
      const effects = staffIds.map(
        (staffId) =>
          publishEffect(
            {
              type: 'deadline.warning',
              ref: i.id,
              itemKind: i.kind,
              colour: toRecord,
              due: i.due,
              department,
              staffId,
            },
            `warning-${toRecord}-${staffId}`,
          ) as unknown as StoredEffect,
      );
      if (staffIds.length === 0) {
        deps.logger.warn('nobody is responsible for this item: warning recorded without a card', {
          id: i.id,
          kind: i.kind,
          colour: toRecord,
        });
      }
      const recorded = await deps.supervision.recordWarning(
        i,
        toRecord,
        at,
        warningEntry(toRecord, at, i.due, i.status),
        effects,
      );
      if (recorded) {
        result.recorded++;
        if (effects.length) {
          await carryOutEffects(i.key, (i.version ?? 0) + 1, {}, effects, deps);
          result.cardsQueued += effects.length;
        }
        deps.logger.info('deadline warning recorded', {
          id: i.id,
          kind: i.kind,
          colour: toRecord,
          due: i.due,
          staffIds,
        });
      }
    }
  }
  return result;
}
