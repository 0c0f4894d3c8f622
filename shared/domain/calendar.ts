/**
 * The working-day clock (工作日历): which days a service hall works, and how periods are
 * counted on them. Pure: no I/O, no process.env, no Date.now().
 *
 * A working day is a Monday–Friday that is not an official holiday, or a weekend day the
 * State Council declares a make-up working day (调休上班日). The official arrangement is
 * published one year at a time, so the calendar is data: one CalendarYear per year,
 * seeded from chinese-days (calendar-seed.ts) and extended by an administrator
 * (PUT /calendar/{year}, validated by validateCalendarYear below). A year without data is
 * counted Monday–Friday, and incompleteYears() says so, so callers can flag the result.
 *
 * Counting follows the Civil Code: the day a period starts is not counted (art. 201), and a
 * period whose last day is a holiday ends on the next working day (art. 203).
 *
 * Speed: every day is a day number (days since 1970-01-01, china-time.ts). The years with data are laid out
 * once in a table with a running count of working days, so counting working days between two
 * dates is one subtraction and finding the Nth working day is one array read; days outside
 * the table are Monday–Friday and are counted with arithmetic. No Date objects in the loops.
 */
import * as z from 'zod';
import { DATE_RE, dayNumberOf, fromDayNumber, isCalendarDate, toDayNumber, weekdayOf } from './china-time';
import { FieldProblem, ValidationError } from './errors';

/** One year of the official arrangement. Dates are YYYY-MM-DD, China time. */
export interface CalendarYear {
  year: number;
  /** Official holidays (法定节假日 and the days off around them), weekends included or not. */
  holidays: string[];
  /** Make-up working days (调休上班日): weekend days that are working days. */
  workdays: string[];
  /** Where the data comes from, e.g. "chinese-days" or the State Council notice. */
  source?: string;
}

/** The years an administrator may store. */
export const MIN_CALENDAR_YEAR = 1990;
export const MAX_CALENDAR_YEAR = 2100;

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/**
 * A running count of Monday–Friday days: mf(d) - mf(d - 1) is 1 on a weekday, 0 on a weekend.
 * (Shifted so that t = 0 is Monday 1969-12-29.)
 */
function mf(day: number): number {
  const t = day + 4;
  const weeks = Math.floor(t / 7);
  const rest = t - weeks * 7;
  return weeks * 5 + (rest < 5 ? rest : 5);
}

/** The weekday d with mf(d) = count: the inverse of mf on weekdays. */
function mfInverse(count: number): number {
  const weeks = Math.floor((count - 1) / 5);
  const rest = count - weeks * 5; // 1..5: Monday..Friday
  return weeks * 7 + rest - 1 - 3;
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a whole number of days, 0 or more: ${n}`);
}

/**
 * What is wrong with a year's data, field by field (empty when it is sound): each date real
 * and written YYYY-MM-DD, in the year (when one is given), make-up days on weekends, no date
 * twice, none in both lists.
 */
export function calendarYearProblems(
  year: number | undefined,
  holidays: readonly string[],
  workdays: readonly string[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, string>();
  const check = (list: readonly string[], name: 'holidays' | 'workdays') => {
    list.forEach((date, i) => {
      const field = `${name}[${i}]`;
      if (typeof date !== 'string' || !DATE_RE.test(date)) {
        problems.push({ field, message: `must be a date written YYYY-MM-DD, got ${JSON.stringify(date)}` });
        return;
      }
      if (!isCalendarDate(date)) {
        problems.push({ field, message: `${date} is not a real calendar date` });
        return;
      }
      const day = toDayNumber(date);
      if (year !== undefined && Number(date.slice(0, 4)) !== year) {
        problems.push({ field, message: `${date} is not in ${year}` });
        return;
      }
      if (name === 'workdays' && !isWeekend(day)) {
        problems.push({
          field,
          message: `${date} is a weekday; a make-up working day (调休上班日) is a Saturday or Sunday`,
        });
      }
      const earlier = seen.get(date);
      if (earlier !== undefined) {
        problems.push({
          field,
          message: earlier.startsWith(name)
            ? `${date} is listed twice (also ${earlier})`
            : `${date} cannot be both a holiday and a working day (also ${earlier})`,
        });
      } else {
        seen.set(date, field);
      }
    });
  };
  check(holidays, 'holidays');
  check(workdays, 'workdays');
  return problems;
}

// ---------------------------------------------------------------------------------------
// The PUT /calendar/{year} body
// ---------------------------------------------------------------------------------------

const dateList = (what: string) =>
  z
    .array(z.string({ error: 'must be a date written YYYY-MM-DD' }), {
      error: 'must be a list of dates written YYYY-MM-DD',
    })
    .max(366, { error: 'a year has at most 366 days' })
    .describe(what);

/**
 * The body of PUT /calendar/{year}. Checks each date (form, real day, in the year when the
 * year is given, make-up days on weekends) and across the lists (no repeats, no date in both).
 */
export function calendarYearBodySchema(year?: number) {
  return z
    .object({
      holidays: dateList(
        'Official holidays of the year, YYYY-MM-DD, China time: every day off in the State Council arrangement ' +
          '(法定节假日 and the days moved around them). Weekend days may be listed too.',
      ),
      workdays: dateList(
        'Make-up working days (调休上班日), YYYY-MM-DD: Saturdays or Sundays on which the hall works. ' +
          'Weekdays are working days already unless listed as holidays.',
      ),
      source: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('Where the data comes from, e.g. the State Council notice (国务院办公厅关于…部分节假日安排的通知).'),
    })
    .superRefine((body, ctx) => {
      for (const p of calendarYearProblems(year, body.holidays, body.workdays)) {
        const m = /^(holidays|workdays)\[(\d+)\]$/.exec(p.field);
        ctx.addIssue({ code: 'custom', message: p.message, path: m ? [m[1], Number(m[2])] : [p.field] });
      }
    })
    .describe(
      "One year of the working-day calendar: its official holidays and make-up working days. Replaces the year's data.",
    );
}

/** The PUT /calendar/{year} body schema for documents (OpenAPI); validateCalendarYear also checks the year. */
export const CalendarYearBodySchema = calendarYearBodySchema();
export type CalendarYearBody = z.infer<typeof CalendarYearBodySchema>;

function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || 'body';
}

/**
 * Validates the year (from the path) and the body of PUT /calendar/{year}. Returns the year's
 * data with both lists sorted, or throws ValidationError naming every bad field
 * (e.g. `workdays[2]`).
 */
export function validateCalendarYear(year: number | string, body: unknown): CalendarYear {
  const y = typeof year === 'string' && /^\d{4}$/.test(year) ? Number(year) : year;
  if (typeof y !== 'number' || !Number.isInteger(y) || y < MIN_CALENDAR_YEAR || y > MAX_CALENDAR_YEAR) {
    throw new ValidationError([
      {
        field: 'year',
        message: `must be a year from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR}, got ${JSON.stringify(year)}`,
      },
    ]);
  }
  const parsed = calendarYearBodySchema(y).safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ field: fieldOf(i.path), message: i.message })));
  }
  const out: CalendarYear = {
    year: y,
    holidays: [...parsed.data.holidays].sort(),
    workdays: [...parsed.data.workdays].sort(),
  };
  if (parsed.data.source !== undefined) out.source = parsed.data.source;
  return out;
}

// ---------------------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------------------

/**
 * Working days over a set of years. Built from CalendarYear[]; when a year appears twice the
 * later entry wins, so `new WorkingCalendar([...officialCalendarYears(), ...storedYears])`
 * lets an administrator's data override the seed. Throws RangeError on malformed year data
 * (validateCalendarYear is the check for input from people).
 *
 * All dates are YYYY-MM-DD, China time. Methods throw RangeError on a malformed date.
 */
export class WorkingCalendar {
  private readonly dataYears: ReadonlySet<number>;
  private readonly sortedYears: readonly number[];
  /** First and last day number of the table (Jan 1 of the first year, Dec 31 of the last). */
  private readonly lo: number;
  private readonly hi: number;
  /** 1 when the table's day is a working day. */
  private readonly working: Uint8Array;
  /** Running working-day count (the global count `P` below) at each table day. */
  private readonly prefix: Int32Array;
  /** Day numbers of the table's working days, in order: the k-th has count base + k + 1. */
  private readonly workingDayList: Int32Array;
  /** Count before the table, and at its last day. */
  private readonly base: number;
  private readonly top: number;
  /** The table's dates as strings, so results need no formatting. */
  private readonly names: string[];

  constructor(years: readonly CalendarYear[]) {
    const byYear = new Map<number, CalendarYear>();
    for (const cy of years) {
      if (!Number.isInteger(cy.year)) throw new RangeError(`calendar year must be a whole number: ${cy.year}`);
      const problems = calendarYearProblems(cy.year, cy.holidays, cy.workdays);
      if (problems.length > 0) {
        throw new RangeError(`calendar ${cy.year}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
      }
      byYear.set(cy.year, cy);
    }
    this.sortedYears = [...byYear.keys()].sort((a, b) => a - b);
    this.dataYears = new Set(this.sortedYears);

    if (this.sortedYears.length === 0) {
      this.lo = 1;
      this.hi = 0;
    } else {
      this.lo = dayNumberOf(this.sortedYears[0], 1, 1);
      this.hi = dayNumberOf(this.sortedYears[this.sortedYears.length - 1], 12, 31);
    }
    const size = Math.max(0, this.hi - this.lo + 1);
    this.working = new Uint8Array(size);
    for (let i = 0; i < size; i++) this.working[i] = isWeekend(this.lo + i) ? 0 : 1;
    for (const cy of byYear.values()) {
      for (const d of cy.holidays) this.working[toDayNumber(d) - this.lo] = 0;
      for (const d of cy.workdays) this.working[toDayNumber(d) - this.lo] = 1;
    }

    this.base = mf(this.lo - 1);
    this.prefix = new Int32Array(size);
    this.names = new Array<string>(size);
    let count = this.base;
    let workingDays = 0;
    for (let i = 0; i < size; i++) {
      count += this.working[i];
      workingDays += this.working[i];
      this.prefix[i] = count;
      this.names[i] = fromDayNumber(this.lo + i);
    }
    this.top = count;
    this.workingDayList = new Int32Array(workingDays);
    for (let i = 0, k = 0; i < size; i++) if (this.working[i] === 1) this.workingDayList[k++] = this.lo + i;
  }

  /** Whether the year has official data (otherwise it is counted Monday–Friday). */
  hasYear(year: number): boolean {
    return this.dataYears.has(year);
  }

  /** The years with data, ascending. */
  years(): number[] {
    return [...this.sortedYears];
  }

  /** A weekday that is not a holiday, or a listed make-up working day. Monday–Friday in a year without data. */
  isWorkingDay(date: string): boolean {
    return this.isWorking(toDayNumber(date));
  }

  /**
   * The Nth working day after `date`; the start day is not counted (Civil Code art. 201).
   * n = 0 gives `date` itself. n must be a whole number, 0 or more.
   */
  addWorkingDays(date: string, n: number): string {
    checkCount(n, 'working days');
    const day = toDayNumber(date);
    if (n === 0) return date;
    return this.name(this.nthWorkingDay(this.count(day) + n));
  }

  /**
   * `date` + n calendar days; when that day is not a working day, the next working day
   * (Civil Code art. 203: a period ending on a holiday ends on the day after the holiday).
   */
  addCalendarDays(date: string, n: number): string {
    checkCount(n, 'calendar days');
    const end = toDayNumber(date) + n;
    return this.name(this.isWorking(end) ? end : this.nthWorkingDay(this.count(end) + 1));
  }

  /** Working days in (from, to]: 0 when equal, negative (minus those in (to, from]) when to is earlier. */
  workingDaysBetween(from: string, to: string): number {
    return this.count(toDayNumber(to)) - this.count(toDayNumber(from));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.name(this.nthWorkingDay(this.count(toDayNumber(date)) + 1));
  }

  /** The years from `from` to `to` (either order, inclusive) that have no data, ascending. */
  incompleteYears(from: string, to: string): number[] {
    toDayNumber(from);
    toDayNumber(to);
    const a = Number(from.slice(0, 4));
    const b = Number(to.slice(0, 4));
    const out: number[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (!this.dataYears.has(y)) out.push(y);
    return out;
  }

  // -- internals on day numbers ---------------------------------------------------------

  private isWorking(day: number): boolean {
    if (day >= this.lo && day <= this.hi) return this.working[day - this.lo] === 1;
    return !isWeekend(day);
  }

  /**
   * P(day): a running count of working days, so that P(day) - P(day - 1) is 1 exactly on
   * working days. Monday–Friday outside the table, joined continuously at both ends.
   */
  private count(day: number): number {
    if (day < this.lo) return mf(day);
    if (day <= this.hi) return this.prefix[day - this.lo];
    return this.top + mf(day) - mf(this.hi);
  }

  /** The working day whose running count is `c` (the smallest day with P(day) >= c). */
  private nthWorkingDay(c: number): number {
    if (c <= this.base) return mfInverse(c);
    if (c <= this.top) return this.workingDayList[c - this.base - 1];
    return mfInverse(c - this.top + mf(this.hi));
  }

  private name(day: number): string {
    return day >= this.lo && day <= this.hi ? this.names[day - this.lo] : fromDayNumber(day);
  }
}
