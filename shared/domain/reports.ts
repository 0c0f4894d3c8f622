/**
 * Report math (统计报表): the figures that halls publish, per department, per window and
 * hall-wide, for a period of China dates; and the monthly ranking of windows (红旗窗口).
 *
 * Pure: no I/O, no process.env, no clock. The caller passes `generatedAt`.
 *
 * One pass, O(n), allocation-light: `ReportAccumulator.add(row)` reads a row's dates as day
 * numbers (china-time.ts, without allocating) into one reused `CaseFacts`, runs the figures'
 * tests over it once, and bumps the counters of three buckets (its department, its window, the
 * hall). The store can feed it page by page while it reads; `computeReport(input)` is the same
 * thing over an iterable.
 *
 * Which rows to feed: every case that can touch the period, i.e. received, accepted,
 * decided or rated in it, or still open at its end. Rows that touch nothing are ignored,
 * so feeding more is safe, only slower.
 *
 * Every figure is defined once, in `FIGURES` (report-figures.ts): its names, its formula and
 * how it is counted.
 */
import type { CaseRecord, Deadlines, Decision, Rating } from './case';
import { chinaDayNumber, daysInMonth, isCalendarDate, toDayNumber } from './china-time';
import { ValidationError } from './errors';
import {
  COUNTERS,
  figuresOf,
  maskOf,
  ratingSlot,
  type CaseFacts,
  type Counts,
  type DueFacts,
  type Figures,
  type TallyPlan,
} from './report-figures';

// ---------------------------------------------------------------------------------------
// Input

/** China dates, both inclusive, as YYYY-MM-DD. */
export interface Period {
  from: string;
  to: string;
}

/** The period as a report states it; `month` is set when the period is one calendar month. */
export interface ReportPeriod extends Period {
  month?: string;
}

/**
 * The part of a case a report needs. A full CaseRecord is one; the store can project
 * exactly `REPORT_CASE_ATTRIBUTES` and get one too.
 */
export type ReportCase = Pick<
  CaseRecord,
  'caseNo' | 'department' | 'post' | 'kind' | 'channel' | 'status' | 'receivedAt' | 'acceptedAt' | 'decidedAt'
> & {
  decision?: Pick<Decision, 'outcome'>;
  deadlines?: Pick<Deadlines, 'committed'>;
  /** `at` places the rating in a period; without it the case's decision date stands in. */
  rating?: Pick<Rating, 'level' | 'source'> & Partial<Pick<Rating, 'at'>> & { voided?: boolean };
};

/** Attribute paths a store projection needs to build a `ReportCase` (DynamoDB ProjectionExpression paths). */
export const REPORT_CASE_ATTRIBUTES = [
  'caseNo',
  'department',
  'post',
  'kind',
  'channel',
  'status',
  'receivedAt',
  'acceptedAt',
  'decidedAt',
  'decision.outcome',
  'deadlines.committed',
  'rating',
] as const;

/**
 * A complaint (投诉); a `Complaint` (complaint.ts) is one. It counts for the department complained
 * about, else the department handling it, else `UNASSIGNED_DEPARTMENT`. `due` is a China date
 * (YYYY-MM-DD) or an instant; compared by China date.
 */
export interface ReportComplaint {
  department?: string;
  handlingDepartment?: string;
  post?: string;
  receivedAt: string;
  answeredAt?: string;
  due: string;
}

/**
 * A bad-rating follow-up (差评核实、整改、回访); a `FollowUp` (followup.ts) is one. `due` as for
 * complaints. Closed means `closedAt` is present. A follow-up in state `voided` (the rating was
 * voided on appeal) counts nowhere.
 */
export interface ReportFollowUp {
  department: string;
  post?: string;
  openedAt: string;
  closedAt?: string;
  due: string;
  state?: string;
}

/** Counts kept elsewhere (inquiry log, A/B post log, ...), already restricted to the period by the caller. */
export interface ServiceCounts {
  department: string;
  post?: string;
  /** First inquiries logged (首问登记). */
  inquiries?: number;
  /** A/B post handovers (AB岗交接). */
  handovers?: number;
  /** Consultations (咨询). */
  consultations?: number;
  /** Extended-hours or appointment services (延时或预约服务). */
  extendedHoursOrAppointments?: number;
}

export interface ReportInput {
  period: Period;
  /** The instant the report is made, ISO with offset; the caller's clock. */
  generatedAt: string;
  cases: Iterable<ReportCase>;
  complaints?: Iterable<ReportComplaint>;
  followUps?: Iterable<ReportFollowUp>;
  services?: Iterable<ServiceCounts>;
  /** How many windows are red-flag windows (红旗窗口); default 3. */
  redFlagCount?: number;
  /** Last month's ranking: when given, `ranking.lastTwoMonthsRunning` is filled. */
  previousRanking?: Pick<Ranking, 'last'>;
}

// ---------------------------------------------------------------------------------------
// Output

export type DeptFigures = { department: string } & Figures;
/** `window` is the post code, or `UNASSIGNED_WINDOW`; `departments` are those whose work it handled. */
export type WindowFigures = { window: string; departments: string[] } & Figures;

export interface RankedWindow {
  window: string;
  rank: number;
  score: number;
  redFlag: boolean;
}

export interface Ranking {
  /** Best first; ranks 1..n without gaps (ties are broken, see `rankWindows`). */
  ranked: RankedWindow[];
  /** Red-flag windows (红旗窗口), best first. */
  redFlags: string[];
  /** The window(s) with the lowest score; empty with fewer than two ranked windows. */
  last: string[];
  /** Windows with no case received or decided in the period, and the unassigned bucket. */
  unranked: string[];
  /** Windows last this month and last month (called in for a talk); set when the previous ranking is known. */
  lastTwoMonthsRunning?: string[];
}

export interface Report {
  period: ReportPeriod;
  generatedAt: string;
  departments: DeptFigures[];
  windows: WindowFigures[];
  total: Figures;
  ranking: Ranking;
}

/** Cases, complaints, follow-ups and counts with no window go under this window key. */
export const UNASSIGNED_WINDOW = 'unassigned';
/** A complaint that names no department goes under this department key. */
export const UNASSIGNED_DEPARTMENT = UNASSIGNED_WINDOW;

// ---------------------------------------------------------------------------------------
// Periods

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The calendar month YYYY-MM as a period: its first to its last day. */
export function monthPeriod(month: string): Period {
  const m = MONTH_RE.exec(month);
  if (!m) throw new ValidationError([{ field: 'month', message: `expected a month as YYYY-MM, got "${month}"` }]);
  const last = daysInMonth(Number(m[1]), Number(m[2]));
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Checks a period: two real YYYY-MM-DD dates, from on or before to. Throws ValidationError. */
export function validatePeriod(period: Period): Period {
  const problems = [];
  if (!isCalendarDate(period.from))
    problems.push({ field: 'period.from', message: `expected a date as YYYY-MM-DD, got "${period.from}"` });
  if (!isCalendarDate(period.to))
    problems.push({ field: 'period.to', message: `expected a date as YYYY-MM-DD, got "${period.to}"` });
  if (problems.length === 0 && period.from > period.to) {
    problems.push({ field: 'period.to', message: `must be on or after ${period.from}` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return period;
}

function describePeriod(period: Period): ReportPeriod {
  const month = period.from.slice(0, 7);
  if (MONTH_RE.test(month)) {
    const whole = monthPeriod(month);
    if (whole.from === period.from && whole.to === period.to) return { from: period.from, to: period.to, month };
  }
  return { from: period.from, to: period.to };
}

// ---------------------------------------------------------------------------------------
// The accumulator

const CASE_SLOTS = COUNTERS.cases.slots;

/** Counters for one department, one window or the hall: one slot per tallied figure (COUNTERS). */
class Bucket {
  readonly n = new Float64Array(COUNTERS.size);
  /** For windows: the departments whose work it handled. */
  departments: Set<string> | null = null;
  lastDepartment: string | null = null;

  /** Adds 1 to `slots[i]` for every bit i of `mask`. */
  bump(slots: readonly number[], mask: number): void {
    const n = this.n;
    while (mask !== 0) {
      const low = mask & -mask;
      n[slots[31 - Math.clz32(low)]]++;
      mask ^= low;
    }
  }

  /** A case row: its mask over the case figures, and its rating's slot (-1 for none). */
  applyCase(mask: number, ratingSlot: number): void {
    this.bump(CASE_SLOTS, mask);
    if (ratingSlot !== -1) this.n[ratingSlot]++;
  }

  noteDepartment(department: string): void {
    if (this.lastDepartment === department) return;
    this.lastDepartment = department;
    (this.departments ??= new Set()).add(department);
  }

  figures(): Figures {
    return figuresOf(this.n);
  }
}

export interface ReportResultOptions {
  generatedAt: string;
  redFlagCount?: number;
  previousRanking?: Pick<Ranking, 'last'>;
}

/**
 * Builds a report incrementally: `add` rows in any order and any number of pages, then
 * `result`. Each row costs a few comparisons and three bucket updates; nothing per row is
 * kept, so memory grows with departments and windows, not with cases.
 */
export class ReportAccumulator {
  readonly period: Period;
  private readonly fromDay: number;
  private readonly toDay: number;
  private readonly total = new Bucket();
  private readonly byDepartment = new Map<string, Bucket>();
  private readonly byWindow = new Map<string, Bucket>();
  // The store reads department by department, so the last bucket is usually the next one.
  private lastDeptKey: string | null = null;
  private lastDept: Bucket = this.total;
  private lastWindowKey: string | null = null;
  private lastWindow: Bucket = this.total;

  // One case's facts and one follow-up's or complaint's, reused row after row.
  private readonly facts: CaseFacts;
  private readonly dueFacts: DueFacts = { inPeriod: false, dueInPeriod: false, doneByDue: false };

  constructor(period: Period) {
    this.period = validatePeriod({ from: period.from, to: period.to });
    this.fromDay = toDayNumber(period.from);
    this.toDay = toDayNumber(period.to);
    this.facts = {
      received: NaN,
      accepted: NaN,
      decided: NaN,
      committed: NaN,
      periodEnd: this.toDay,
      receivedInPeriod: false,
      acceptedInPeriod: false,
      decidedInPeriod: false,
      outcome: undefined,
      channel: 'online',
      status: 'submitted',
    };
  }

  /** Counts one case (see FIGURES for what each figure takes from it). */
  add(row: ReportCase): void {
    const from = this.fromDay;
    const to = this.toDay;
    const x = this.facts;
    const r = (x.received = chinaDayNumber(row.receivedAt));
    const a = (x.accepted = chinaDayNumber(row.acceptedAt));
    const d = (x.decided = chinaDayNumber(row.decidedAt));
    x.committed = row.deadlines === undefined ? NaN : chinaDayNumber(row.deadlines.committed);
    const outcome = (x.outcome =
      row.decision !== undefined
        ? row.decision.outcome
        : row.status === 'approved'
          ? 'approve'
          : row.status === 'denied'
            ? 'deny'
            : undefined);
    x.receivedInPeriod = r >= from && r <= to;
    x.acceptedInPeriod = a >= from && a <= to;
    x.decidedInPeriod = outcome !== undefined && d >= from && d <= to;
    x.channel = row.channel;
    x.status = row.status;
    const mask = maskOf(COUNTERS.cases, x);

    let slot = -1;
    const rating = row.rating;
    // A rating a supervisor voided as malicious (申诉复核) counts nowhere.
    if (rating !== undefined && !rating.voided) {
      const day = rating.at !== undefined ? chinaDayNumber(rating.at) : d;
      if (day >= from && day <= to) slot = ratingSlot(rating.source === 'default' ? 'default' : rating.level);
    }

    if (mask === 0 && slot === -1) return;
    this.total.applyCase(mask, slot);
    this.department(row.department).applyCase(mask, slot);
    this.window(row.post, row.department).applyCase(mask, slot);
  }

  /** Adds a page of rows. */
  addAll(rows: Iterable<ReportCase>): void {
    for (const row of rows) this.add(row);
  }

  addComplaint(complaint: ReportComplaint): void {
    const department = complaint.department ?? complaint.handlingDepartment ?? UNASSIGNED_DEPARTMENT;
    this.addDue(
      COUNTERS.complaints,
      department,
      complaint.post,
      complaint.receivedAt,
      complaint.due,
      complaint.answeredAt,
    );
  }

  addFollowUp(followUp: ReportFollowUp): void {
    if (followUp.state === 'voided') return;
    this.addDue(
      COUNTERS.followUps,
      followUp.department,
      followUp.post,
      followUp.openedAt,
      followUp.due,
      followUp.closedAt,
    );
  }

  addServiceCounts(counts: ServiceCounts): void {
    for (const b of this.bucketsFor(counts.department, counts.post)) {
      for (const { slot, field } of COUNTERS.services) b.n[slot] += counts[field] ?? 0;
    }
  }

  /** The report so far. Can be called more than once; adding more afterwards is fine. */
  result(options: ReportResultOptions): Report {
    const byKey = (a: [string, Bucket], b: [string, Bucket]) => compareKeys(a[0], b[0]);
    const departments: DeptFigures[] = [...this.byDepartment]
      .sort(byKey)
      .map(([department, bucket]) => ({ department, ...bucket.figures() }));
    const windows: WindowFigures[] = [...this.byWindow].sort(byKey).map(([window, bucket]) => ({
      window,
      departments: [...(bucket.departments ?? [])].sort(compareCodes),
      ...bucket.figures(),
    }));
    const ranking = rankWindows(windows, { redFlagCount: options.redFlagCount });
    if (options.previousRanking) ranking.lastTwoMonthsRunning = lastTwoMonthsRunning(options.previousRanking, ranking);
    return {
      period: describePeriod(this.period),
      generatedAt: options.generatedAt,
      departments,
      windows,
      total: this.total.figures(),
      ranking,
    };
  }

  /** A follow-up or complaint: opened (received) `at`, due `due`, done `doneAt` (closed, answered). */
  private addDue(
    plan: TallyPlan<DueFacts>,
    department: string,
    post: string | undefined,
    at: string,
    due: string,
    doneAt: string | undefined,
  ): void {
    const opened = chinaDayNumber(at);
    const dueDay = chinaDayNumber(due);
    const x = this.dueFacts;
    x.inPeriod = opened >= this.fromDay && opened <= this.toDay;
    x.dueInPeriod = dueDay >= this.fromDay && dueDay <= this.toDay;
    if (!x.inPeriod && !x.dueInPeriod) return;
    x.doneByDue = chinaDayNumber(doneAt) <= dueDay;
    const mask = maskOf(plan, x);
    for (const b of this.bucketsFor(department, post)) b.bump(plan.slots, mask);
  }

  private department(key: string): Bucket {
    if (key === this.lastDeptKey) return this.lastDept;
    let b = this.byDepartment.get(key);
    if (b === undefined) {
      b = new Bucket();
      this.byDepartment.set(key, b);
    }
    this.lastDeptKey = key;
    this.lastDept = b;
    return b;
  }

  private window(post: string | undefined, department: string): Bucket {
    const key = post === undefined || post === '' ? UNASSIGNED_WINDOW : post;
    let b: Bucket;
    if (key === this.lastWindowKey) {
      b = this.lastWindow;
    } else {
      const found = this.byWindow.get(key);
      if (found === undefined) {
        b = new Bucket();
        this.byWindow.set(key, b);
      } else {
        b = found;
      }
      this.lastWindowKey = key;
      this.lastWindow = b;
    }
    b.noteDepartment(department);
    return b;
  }

  private bucketsFor(department: string, post: string | undefined): Bucket[] {
    return [this.total, this.department(department), this.window(post, department)];
  }
}

function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Department or window codes in order, the unassigned bucket last. */
function compareKeys(a: string, b: string): number {
  if (a === UNASSIGNED_WINDOW) return b === UNASSIGNED_WINDOW ? 0 : 1;
  if (b === UNASSIGNED_WINDOW) return -1;
  return compareCodes(a, b);
}

/** The whole report in one call: a single pass over the cases. */
export function computeReport(input: ReportInput): Report {
  const acc = new ReportAccumulator(input.period);
  for (const row of input.cases) acc.add(row);
  if (input.complaints) for (const c of input.complaints) acc.addComplaint(c);
  if (input.followUps) for (const f of input.followUps) acc.addFollowUp(f);
  if (input.services) for (const s of input.services) acc.addServiceCounts(s);
  return acc.result({
    generatedAt: input.generatedAt,
    redFlagCount: input.redFlagCount,
    previousRanking: input.previousRanking,
  });
}

// ---------------------------------------------------------------------------------------
// Ranking of windows (窗口排名, 红旗窗口)

/** Weights of the ranking score; see `windowScore`. */
export const RANKING_WEIGHTS = {
  onTimeRate: 0.4,
  satisfactionRate: 0.3,
  completionRate: 0.3,
  overduePenalty: 20,
} as const;

type ScoreInput = Pick<Counts, 'received' | 'approved' | 'decided' | 'onTime' | 'overdue' | 'stillOpen' | 'ratings'>;

/**
 * A window's score for the ranking, 0..100 (2 decimals), or null when it handled no case in
 * the period (nothing received, nothing decided): such a window is unranked.
 *
 *   score = 100 × (0.4 × onTimeRate + 0.3 × satisfactionRate + 0.3 × min(1, completionRate))
 *                 ÷ (sum of the weights of the rates that exist)
 *         − 20 × overdue ÷ (decided + stillOpen)
 *
 * computed from the exact counts (not the rounded rates). A rate with a zero denominator
 * (no ratings, say) drops out and the other weights are scaled up, so a window is neither
 * helped nor hurt by a figure it has no data for. The score is never below 0.
 */
export function windowScore(w: ScoreInput): number | null {
  if (w.received + w.decided === 0) return null;
  const r = w.ratings;
  const good = r['very-satisfied'] + r.satisfied + r['fairly-satisfied'];
  const rated = good + r.dissatisfied + r['very-dissatisfied'];
  let sum = 0;
  let weights = 0;
  if (w.decided > 0) {
    sum += RANKING_WEIGHTS.onTimeRate * (w.onTime / w.decided);
    weights += RANKING_WEIGHTS.onTimeRate;
  }
  if (rated > 0) {
    sum += RANKING_WEIGHTS.satisfactionRate * (good / rated);
    weights += RANKING_WEIGHTS.satisfactionRate;
  }
  if (w.received > 0) {
    sum += RANKING_WEIGHTS.completionRate * Math.min(1, w.approved / w.received);
    weights += RANKING_WEIGHTS.completionRate;
  }
  const handled = w.decided + w.stillOpen;
  const penalty = handled > 0 ? (RANKING_WEIGHTS.overduePenalty * w.overdue) / handled : 0;
  const score = (100 * sum) / weights - penalty;
  return Math.max(0, Math.round(score * 100) / 100);
}

/**
 * Ranks the windows, best first: by score; ties go to the window that decided more cases,
 * then to the lower window code, so ranks run 1..n without gaps. The unassigned bucket and
 * windows with no case are unranked. The first `redFlagCount` ranked windows are red-flag
 * windows, except a window that is also last. `last` is every window sharing the lowest
 * score, when at least two windows are ranked.
 */
export function rankWindows(
  windows: readonly (Pick<WindowFigures, 'window'> & ScoreInput)[],
  options: { redFlagCount?: number } = {},
): Ranking {
  const redFlagCount = options.redFlagCount ?? 3;
  const scored: { window: string; score: number; decided: number }[] = [];
  const unranked: string[] = [];
  for (const w of windows) {
    const score = w.window === UNASSIGNED_WINDOW ? null : windowScore(w);
    if (score === null) unranked.push(w.window);
    else scored.push({ window: w.window, score, decided: w.decided });
  }
  scored.sort((a, b) => b.score - a.score || b.decided - a.decided || compareCodes(a.window, b.window));
  const lowest = scored.length >= 2 ? scored[scored.length - 1].score : null;
  const last = lowest === null ? [] : scored.filter((s) => s.score === lowest).map((s) => s.window);
  const ranked = scored.map((s, i) => ({
    window: s.window,
    rank: i + 1,
    score: s.score,
    redFlag: i < redFlagCount && !last.includes(s.window),
  }));
  return {
    ranked,
    redFlags: ranked.filter((w) => w.redFlag).map((w) => w.window),
    last,
    unranked,
  };
}

/** Windows last in both rankings (last month's and this month's): they are called in for a talk. */
export function lastTwoMonthsRunning(previous: Pick<Ranking, 'last'>, current: Pick<Ranking, 'last'>): string[] {
  const before = new Set(previous.last);
  return current.last.filter((w) => before.has(w));
}
