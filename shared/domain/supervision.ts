/**
 * Electronic supervision (电子监察), pure: which open things are yellow (预警: the working days
 * left have fallen to the threshold) or red (报警: the deadline has passed), how far the sweep
 * must look ahead, and the history entry a warning leaves. No I/O, no clock: `today` and the
 * calendar are arguments.
 *
 * Watched: open cases (their committed deadline), open review tasks (their due date), open
 * bad-rating follow-ups and unanswered complaints (their due dates).
 *
 * The threshold (a setting, since no national one exists): yellow at max(yellowDays,
 * ceil(yellowFraction × limit)) working days left or fewer (deadlines.ts, yellowThreshold).
 * A case's limit is its item's committed limit; a task's, follow-up's or complaint's is the
 * working days from its opening to its due date (the time it was actually given).
 */
import type { HistoryEntry, Role } from './case';
import type { Catalog } from './catalog';
import type { WorkingCalendar } from './calendar';
import {
  DEFAULT_YELLOW_DAYS,
  DEFAULT_YELLOW_FRACTION,
  deadlineColour,
  yellowThreshold,
  type DeadlineColour,
  type TimeLimit,
} from './deadlines';
import { chinaDate } from './china-time';
import type { DeadlineWarningInput } from './sms-templates';
import { responsibleStaff } from './staff';

export interface SupervisionSettings {
  /** Yellow at this many working days left or fewer... */
  yellowDays: number;
  /** ...or at this fraction of the limit, whichever is more. */
  yellowFraction: number;
  /** The longest limit (in days) a task, follow-up or complaint is given: bounds how far the sweep looks ahead for them. */
  longestOtherLimitDays: number;
}

export const DEFAULT_SUPERVISION_SETTINGS: SupervisionSettings = {
  yellowDays: DEFAULT_YELLOW_DAYS,
  yellowFraction: DEFAULT_YELLOW_FRACTION,
  longestOtherLimitDays: 30,
};

/** Settings with defaults filled in; throws RangeError on a value that makes no sense (read at start, fails loudly). */
export function supervisionSettings(partial: Partial<SupervisionSettings> = {}): SupervisionSettings {
  const s = {
    ...DEFAULT_SUPERVISION_SETTINGS,
    ...Object.fromEntries(Object.entries<number | undefined>(partial).filter(([, v]) => v !== undefined)),
  };
  if (!Number.isSafeInteger(s.yellowDays) || s.yellowDays < 0)
    throw new RangeError(`yellowDays must be a whole number of working days, 0 or more: ${s.yellowDays}`);
  if (!(s.yellowFraction >= 0 && s.yellowFraction <= 1))
    throw new RangeError(`yellowFraction must be between 0 and 1: ${s.yellowFraction}`);
  if (!Number.isSafeInteger(s.longestOtherLimitDays) || s.longestOtherLimitDays < 1) {
    throw new RangeError(`longestOtherLimitDays must be a whole number of days, 1 or more: ${s.longestOtherLimitDays}`);
  }
  return s;
}

export type WatchedKind = 'case' | 'task' | 'followup' | 'complaint';

/**
 * The largest yellow threshold anything watched can have: max(yellowDays, ceil(fraction × L))
 * for the longest limit L of any catalog item (committed or statutory) or of a task, follow-up
 * or complaint. Whatever is due later than that many working days from today is green.
 */
export function largestYellowThreshold(catalog: Catalog, settings: SupervisionSettings): number {
  let longest = settings.longestOtherLimitDays;
  for (const item of catalog.items()) longest = Math.max(longest, item.committedLimit.value, item.statutoryLimit.value);
  return yellowThreshold({ value: longest, unit: 'working-days' }, settings.yellowDays, settings.yellowFraction);
}

/**
 * The exclusive upper bound of the due dates the sweep reads: the (T + 1)th working day after
 * today, for the largest threshold T. Every item due before it has at most T working days left
 * (whatever kind of day its due date is); every item due on or after it has more, so is green.
 * The sweep's Query is `obdsk < bound` (obdsk starts with the due date).
 */
export function sweepBound(calendar: WorkingCalendar, today: string, largestThreshold: number): string {
  return calendar.addWorkingDays(today, largestThreshold + 1);
}

export interface Assessment {
  colour: DeadlineColour;
  /** Working days in (today, due]; 0 on the day; negative once past, and at least 1 below 0 (as computeDeadlines). */
  workingDaysLeft: number;
  /** Working days past the due date (0 unless red). */
  daysOverdue: number;
  /** The working days left at which this item turns yellow. */
  threshold: number;
}

/** Where something due on `due` (China date) with `limit` stands today. */
export function assess(
  due: string,
  limit: TimeLimit,
  today: string,
  calendar: WorkingCalendar,
  settings: SupervisionSettings,
): Assessment {
  let workingDaysLeft = calendar.workingDaysBetween(today, due);
  if (today > due && workingDaysLeft > -1) workingDaysLeft = -1;
  const colour = deadlineColour(
    { workingDaysLeft, limit },
    { yellowDays: settings.yellowDays, yellowFraction: settings.yellowFraction },
  );
  return {
    colour,
    workingDaysLeft,
    daysOverdue: workingDaysLeft < 0 ? -workingDaysLeft : 0,
    threshold: yellowThreshold(limit, settings.yellowDays, settings.yellowFraction),
  };
}

/** The limit something was given: the working days from the China date of `openedAt` to `due` (at least 1). */
export function givenLimit(openedAt: string | undefined, due: string, calendar: WorkingCalendar): TimeLimit {
  if (!openedAt) return { value: 1, unit: 'working-days' };
  return {
    value: Math.max(1, calendar.workingDaysBetween(chinaDate(openedAt, 'openedAt'), due)),
    unit: 'working-days',
  };
}

/** Warnings already recorded on an item: the instant of each colour's first warning. */
export interface Warnings {
  yellow?: string;
  red?: string;
}

/** The colour to record now, if any: the current colour when it is yellow or red and was not recorded before. */
export function warningToRecord(colour: DeadlineColour, warnings: Warnings | undefined): 'yellow' | 'red' | undefined {
  if (colour === 'green') return undefined;
  return warnings?.[colour] ? undefined : colour;
}

export const WARNING_ACTOR = { id: 'supervision-sweep', role: 'system' as Role };

/** The history entry of a warning: the status does not change, the record shows the colour and the deadline. */
export function warningEntry<S extends string>(
  colour: 'yellow' | 'red',
  at: string,
  due: string,
  status: S,
): Omit<HistoryEntry, 'from' | 'to'> & { from: S; to: S } {
  const note =
    colour === 'yellow'
      ? `预警 (yellow): due ${due}, the working days left have reached the warning threshold`
      : `报警 (red): the deadline ${due} has passed`;
  return {
    at,
    actor: WARNING_ACTOR.id,
    role: WARNING_ACTOR.role,
    action: `warn-${colour}`,
    from: status,
    to: status,
    note,
  };
}

/** The hall's supervision office (电子监察室): it routes (分派) complaints that no department has yet. */
export const SUPERVISION_OFFICE = 'SUP';
export const SUPERVISION_OFFICE_NAME = '电子监察室';
/** The department of something watched that no department has: a complaint not yet routed. */
export const UNASSIGNED_DEPARTMENT = 'unassigned';

/** A complaint that names no department (no case of a known department, not yet transferred or supervised). */
export function isUnroutedComplaint(watched: { kind: WatchedKind; department?: string }): boolean {
  return watched.kind === 'complaint' && (!watched.department || watched.department === UNASSIGNED_DEPARTMENT);
}

/**
 * Who gets the card of something watched, and for which department: the staff member who
 * answers for it (staff.ts, responsibleStaff), in its department; for a complaint no
 * department has yet, every supervisor (SUP) in the staff directory, who must route it.
 * An empty list: nobody (the warning is recorded without a card).
 */
export function cardRecipients(
  watched: { kind: WatchedKind; assignee?: string; post?: string; department?: string },
  catalog: Catalog,
  supervisors: readonly string[],
): { department: string; staffIds: string[] } {
  if (isUnroutedComplaint(watched)) return { department: SUPERVISION_OFFICE, staffIds: [...supervisors] };
  const staffId = responsibleStaff(watched, catalog);
  return { department: watched.department ?? '', staffIds: staffId ? [staffId] : [] };
}

/** What a deadline.warning event asks the notify function for. */
export interface WarningCardEvent {
  ref: string;
  itemKind: WatchedKind;
  colour: 'yellow' | 'red';
  due: string;
  department: string;
  staffId: string;
}

/** True when the card goes to the supervision office (one card per supervisor, not one per item). */
export function isOfficeCard(event: Pick<WarningCardEvent, 'department'>): boolean {
  return event.department === SUPERVISION_OFFICE;
}

/** The card's content (sms-templates.ts, deadlineWarning): what it is about, its id, the deadline, who is to act. */
export function warningCard(event: WarningCardEvent, catalog: Catalog): DeadlineWarningInput {
  const office = isOfficeCard(event);
  return {
    about: event.itemKind,
    ref: event.ref,
    unrouted: office && event.itemKind === 'complaint',
    colour: event.colour,
    due: event.due,
    department: office ? SUPERVISION_OFFICE_NAME : (catalog.department(event.department)?.name ?? event.department),
  };
}
