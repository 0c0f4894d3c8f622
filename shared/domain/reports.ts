/**
 * Report math (统计报表): the figures that halls publish, per department, per window and
 * hall-wide, for a period of China dates; and the monthly ranking of windows (红旗窗口).
 *
 * Pure: no I/O, no process.env, no clock. The caller passes `generatedAt`.
 *
 * One pass, O(n), allocation-light: `ReportAccumulator.add(row)` classifies a row with a
 * handful of integer comparisons (dates become day numbers without allocating) and bumps
 * counters in three buckets (its department, its window, the hall). The store can feed it
 * page by page while it reads; `computeReport(input)` is the same thing over an iterable.
 *
 * Which rows to feed: every case that can touch the period, i.e. received, accepted,
 * decided or rated in it, or still open at its end. Rows that touch nothing are ignored,
 * so feeding more is safe, only slower.
 *
 * Every figure is defined once, in `FORMULAS` (key, Chinese name, English name, formula).
 */
import type { CaseRecord, Deadlines, Decision, Rating, RatingLevel } from './case';
import { RATING_LEVELS } from './case';
import { ValidationError } from './errors';

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

/** Applicant ratings by level, and default ratings (超时默认评价) apart, whatever their level. */
export type RatingCounts = Record<RatingLevel, number> & { default: number };

export interface Counts {
  received: number;
  receivedOnline: number;
  receivedWindow: number;
  accepted: number;
  decided: number;
  approved: number;
  denied: number;
  completedEarly: number;
  onTime: number;
  decidedLate: number;
  openOverdue: number;
  overdue: number;
  stillOpen: number;
  instantCompleted: number;
  sameDay: number;
  ratings: RatingCounts;
  rated: number;
  badRatings: number;
  followUps: number;
  followUpsDue: number;
  followUpsClosedOnTime: number;
  complaints: number;
  complaintsDue: number;
  complaintsAnsweredOnTime: number;
  inquiries: number;
  handovers: number;
  consultations: number;
  extendedHoursOrAppointments: number;
}

/** Fractions from 0 to 1, rounded to 4 decimals; null when the denominator is 0. */
export interface Rates {
  completionRate: number | null;
  earlyCompletionRate: number | null;
  instantCompletionRate: number | null;
  sameDayRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  badRatingRectificationRate: number | null;
  complaintsAnsweredOnTimeRate: number | null;
}

export type Figures = Counts & Rates;
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
// The formulas, as data (the README and the CSV headers read this table)

export interface Formula {
  key: string;
  zh: string;
  en: string;
  kind: 'count' | 'rate';
  formula: string;
}

/**
 * Every figure of a report. "In the period" means the China date (Asia/Shanghai) of the
 * instant falls between `from` and `to`, both inclusive; "by period end" means on or before `to`.
 */
export const FORMULAS: readonly Formula[] = [
  { key: 'received', zh: '收件', en: 'received', kind: 'count', formula: 'cases whose receivedAt is in the period' },
  {
    key: 'receivedOnline',
    zh: '网上申报',
    en: 'received online',
    kind: 'count',
    formula: 'received with channel online',
  },
  {
    key: 'receivedWindow',
    zh: '窗口受理',
    en: 'received at a window',
    kind: 'count',
    formula: 'received with channel window',
  },
  { key: 'accepted', zh: '受理', en: 'accepted', kind: 'count', formula: 'cases whose acceptedAt is in the period' },
  {
    key: 'decided',
    zh: '审结',
    en: 'decided',
    kind: 'count',
    formula: 'cases with a decision whose decidedAt is in the period (approved + denied)',
  },
  { key: 'approved', zh: '办结', en: 'completed (approved)', kind: 'count', formula: 'decided with outcome approve' },
  { key: 'denied', zh: '不予许可', en: 'not licensed (denied)', kind: 'count', formula: 'decided with outcome deny' },
  {
    key: 'completedEarly',
    zh: '提前办结',
    en: 'completed early',
    kind: 'count',
    formula: 'approved whose decision date is strictly before the committed deadline date',
  },
  {
    key: 'onTime',
    zh: '按时办结',
    en: 'decided on time',
    kind: 'count',
    formula:
      'decided on or before the committed deadline date (a case with no committed deadline missed nothing and counts here)',
  },
  {
    key: 'decidedLate',
    zh: '超期办结',
    en: 'decided late',
    kind: 'count',
    formula: 'decided after the committed deadline date (decided = onTime + decidedLate)',
  },
  {
    key: 'openOverdue',
    zh: '超期未办结',
    en: 'open and overdue',
    kind: 'count',
    formula:
      'stillOpen whose committed deadline date is on or before period end, except cases now waiting on the applicant (supplement-required)',
  },
  { key: 'overdue', zh: '超期', en: 'overdue', kind: 'count', formula: 'decidedLate + openOverdue' },
  {
    key: 'stillOpen',
    zh: '在办',
    en: 'still open',
    kind: 'count',
    formula:
      'received by period end, not withdrawn, and not decided by period end (no decision yet, or decidedAt after period end)',
  },
  {
    key: 'instantCompleted',
    zh: '即时办结',
    en: 'completed instantly',
    kind: 'count',
    formula:
      'approved whose acceptance and decision fall on the same China date (当天受理、办结), whatever the item kind',
  },
  {
    key: 'sameDay',
    zh: '当日办结',
    en: 'completed the day received',
    kind: 'count',
    formula: 'approved whose receipt and decision fall on the same China date',
  },
  {
    key: 'ratings.very-satisfied',
    zh: '非常满意',
    en: 'very satisfied',
    kind: 'count',
    formula: 'applicant ratings (sms, online, window) given in the period at this level',
  },
  {
    key: 'ratings.satisfied',
    zh: '满意',
    en: 'satisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
  },
  {
    key: 'ratings.fairly-satisfied',
    zh: '基本满意',
    en: 'fairly satisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
  },
  {
    key: 'ratings.dissatisfied',
    zh: '不满意',
    en: 'dissatisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
  },
  {
    key: 'ratings.very-dissatisfied',
    zh: '非常不满意',
    en: 'very dissatisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
  },
  {
    key: 'ratings.default',
    zh: '默认评价',
    en: 'default ratings',
    kind: 'count',
    formula: 'ratings with source default given in the period, any level; shown apart, never in the satisfaction rate',
  },
  {
    key: 'rated',
    zh: '评价数',
    en: 'applicant ratings',
    kind: 'count',
    formula: 'sum of the five applicant rating levels (defaults excluded)',
  },
  {
    key: 'badRatings',
    zh: '差评',
    en: 'bad ratings',
    kind: 'count',
    formula: 'applicant ratings dissatisfied + very dissatisfied',
  },
  {
    key: 'followUps',
    zh: '差评回访',
    en: 'bad-rating follow-ups opened',
    kind: 'count',
    formula: 'follow-ups whose openedAt is in the period (those voided on appeal never count)',
  },
  {
    key: 'followUpsDue',
    zh: '应整改差评',
    en: 'follow-ups due',
    kind: 'count',
    formula: 'follow-ups whose due date is in the period (those voided on appeal never count)',
  },
  {
    key: 'followUpsClosedOnTime',
    zh: '按时整改',
    en: 'follow-ups closed on time',
    kind: 'count',
    formula: 'followUpsDue closed on or before the due date',
  },
  {
    key: 'complaints',
    zh: '投诉',
    en: 'complaints received',
    kind: 'count',
    formula: 'complaints whose receivedAt is in the period',
  },
  {
    key: 'complaintsDue',
    zh: '应答复投诉',
    en: 'complaints due',
    kind: 'count',
    formula: 'complaints whose due date is in the period',
  },
  {
    key: 'complaintsAnsweredOnTime',
    zh: '按时答复投诉',
    en: 'complaints answered on time',
    kind: 'count',
    formula: 'complaintsDue answered on or before the due date',
  },
  {
    key: 'inquiries',
    zh: '首问登记',
    en: 'first inquiries logged',
    kind: 'count',
    formula: 'given by the caller for the period',
  },
  {
    key: 'handovers',
    zh: 'AB岗交接',
    en: 'A/B post handovers',
    kind: 'count',
    formula: 'given by the caller for the period',
  },
  {
    key: 'consultations',
    zh: '咨询',
    en: 'consultations',
    kind: 'count',
    formula: 'given by the caller for the period',
  },
  {
    key: 'extendedHoursOrAppointments',
    zh: '延时或预约服务',
    en: 'extended-hours or appointment services',
    kind: 'count',
    formula: 'given by the caller for the period',
  },
  { key: 'completionRate', zh: '办结率', en: 'completion rate', kind: 'rate', formula: 'approved ÷ received' },
  {
    key: 'earlyCompletionRate',
    zh: '提前办结率',
    en: 'early-completion rate',
    kind: 'rate',
    formula: 'completedEarly ÷ approved',
  },
  {
    key: 'instantCompletionRate',
    zh: '即时办结率',
    en: 'instant-completion rate',
    kind: 'rate',
    formula: 'instantCompleted ÷ approved',
  },
  { key: 'sameDayRate', zh: '当日办结率', en: 'same-day rate', kind: 'rate', formula: 'sameDay ÷ approved' },
  { key: 'onTimeRate', zh: '按时办结率', en: 'on-time rate', kind: 'rate', formula: 'onTime ÷ decided' },
  {
    key: 'satisfactionRate',
    zh: '满意率',
    en: 'satisfaction rate',
    kind: 'rate',
    formula:
      '(very satisfied + satisfied + fairly satisfied) ÷ rated (applicant ratings only; default ratings excluded)',
  },
  {
    key: 'badRatingRectificationRate',
    zh: '差评整改率',
    en: 'bad-rating rectification rate',
    kind: 'rate',
    formula: 'followUpsClosedOnTime ÷ followUpsDue',
  },
  {
    key: 'complaintsAnsweredOnTimeRate',
    zh: '投诉按时答复率',
    en: 'complaints answered on time',
    kind: 'rate',
    formula: 'complaintsAnsweredOnTime ÷ complaintsDue',
  },
];

// ---------------------------------------------------------------------------------------
// Rates: a function of counts only

/** The counts the rates read; missing ones count as 0. */
export interface RateCounts {
  received: number;
  approved: number;
  decided: number;
  completedEarly: number;
  instantCompleted: number;
  sameDay: number;
  onTime: number;
  ratings: Partial<Record<RatingLevel, number>>;
  followUpsDue: number;
  followUpsClosedOnTime: number;
  complaintsDue: number;
  complaintsAnsweredOnTime: number;
}

/** num ÷ den as a fraction rounded to 4 decimals (so 2 decimals as a percentage); null when den is 0. */
function ratio(num: number | undefined, den: number | undefined): number | null {
  if (!den) return null;
  // One division of exact integers, then one rounding: no 0.1-style drift before rounding.
  return Math.round(((num ?? 0) * 10_000) / den) / 10_000;
}

/**
 * The rates from their counts (see `FORMULAS`). Note that completionRate (approved ÷ received)
 * can exceed 1 over a short period when approvals of earlier receipts outnumber new receipts;
 * every other rate is a share of its own denominator and stays within 0..1.
 */
export function rates(counts: Partial<RateCounts>): Rates {
  const r = counts.ratings ?? {};
  const good = (r['very-satisfied'] ?? 0) + (r.satisfied ?? 0) + (r['fairly-satisfied'] ?? 0);
  const rated = good + (r.dissatisfied ?? 0) + (r['very-dissatisfied'] ?? 0);
  return {
    completionRate: ratio(counts.approved, counts.received),
    earlyCompletionRate: ratio(counts.completedEarly, counts.approved),
    instantCompletionRate: ratio(counts.instantCompleted, counts.approved),
    sameDayRate: ratio(counts.sameDay, counts.approved),
    onTimeRate: ratio(counts.onTime, counts.decided),
    satisfactionRate: ratio(good, rated),
    badRatingRectificationRate: ratio(counts.followUpsClosedOnTime, counts.followUpsDue),
    complaintsAnsweredOnTimeRate: ratio(counts.complaintsAnsweredOnTime, counts.complaintsDue),
  };
}

// ---------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01 of the China date), without allocating

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** Day number of the YYYY-MM-DD at the start of `s`, or NaN if it is not one. */
function dayOfDatePrefix(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN; // '-'
  let y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return NaN;
  // Days from civil (H. Hinnant), proleptic Gregorian.
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Day number of the China date of `s`: a bare date YYYY-MM-DD is already a China date; an
 * instant written with +08:00 carries its China date in its first ten characters; any other
 * instant is parsed. NaN when absent or unreadable (NaN is in no period).
 */
export function chinaDayNumber(s: string | undefined): number {
  if (s === undefined) return NaN;
  if (s.length === 10 || (s.charCodeAt(10) === 84 /* T */ && s.endsWith('+08:00'))) return dayOfDatePrefix(s);
  return Math.floor((Date.parse(s) + CHINA_OFFSET_MS) / DAY_MS);
}

// ---------------------------------------------------------------------------------------
// Periods

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE_ONLY_RE.test(s)) return false;
  const n = dayOfDatePrefix(s);
  return !Number.isNaN(n) && new Date(n * DAY_MS).toISOString().slice(0, 10) === s;
}

/** The calendar month YYYY-MM as a period: its first to its last day. */
export function monthPeriod(month: string): Period {
  const m = MONTH_RE.exec(month);
  if (!m) throw new ValidationError([{ field: 'month', message: `expected a month as YYYY-MM, got "${month}"` }]);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Checks a period: two real YYYY-MM-DD dates, from on or before to. Throws ValidationError. */
export function validatePeriod(period: Period): Period {
  const problems = [];
  if (!isRealDate(period.from))
    problems.push({ field: 'period.from', message: `expected a date as YYYY-MM-DD, got "${period.from}"` });
  if (!isRealDate(period.to))
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

// What one case row contributes, as bits: computed once per row, applied to three buckets.
const RECEIVED_ONLINE = 1;
const RECEIVED_WINDOW = 1 << 1;
const ACCEPTED = 1 << 2;
const APPROVED = 1 << 3;
const DENIED = 1 << 4;
const COMPLETED_EARLY = 1 << 5;
const ON_TIME = 1 << 6;
const DECIDED_LATE = 1 << 7;
const STILL_OPEN = 1 << 8;
const OPEN_OVERDUE = 1 << 9;
const INSTANT = 1 << 10;
const SAME_DAY = 1 << 11;

// Rating slots: the five levels in RATING_LEVELS order, then default.
const DEFAULT_SLOT = RATING_LEVELS.length;
function ratingSlot(level: RatingLevel): number {
  switch (level) {
    case 'very-satisfied':
      return 0;
    case 'satisfied':
      return 1;
    case 'fairly-satisfied':
      return 2;
    case 'dissatisfied':
      return 3;
    case 'very-dissatisfied':
      return 4;
    default:
      return -1;
  }
}

/** Counters for one department, one window or the hall: a fixed shape, plain numbers. */
class Bucket {
  received = 0;
  receivedOnline = 0;
  receivedWindow = 0;
  accepted = 0;
  approved = 0;
  denied = 0;
  completedEarly = 0;
  onTime = 0;
  decidedLate = 0;
  stillOpen = 0;
  openOverdue = 0;
  instantCompleted = 0;
  sameDay = 0;
  r0 = 0;
  r1 = 0;
  r2 = 0;
  r3 = 0;
  r4 = 0;
  rDefault = 0;
  followUps = 0;
  followUpsDue = 0;
  followUpsClosedOnTime = 0;
  complaints = 0;
  complaintsDue = 0;
  complaintsAnsweredOnTime = 0;
  inquiries = 0;
  handovers = 0;
  consultations = 0;
  extendedHoursOrAppointments = 0;
  /** For windows: the departments whose work it handled. */
  departments: Set<string> | null = null;
  lastDepartment: string | null = null;

  applyCase(f: number, slot: number): void {
    if (f !== 0) {
      if (f & RECEIVED_ONLINE) {
        this.received++;
        this.receivedOnline++;
      } else if (f & RECEIVED_WINDOW) {
        this.received++;
        this.receivedWindow++;
      }
      if (f & ACCEPTED) this.accepted++;
      if (f & APPROVED) this.approved++;
      else if (f & DENIED) this.denied++;
      if (f & COMPLETED_EARLY) this.completedEarly++;
      if (f & ON_TIME) this.onTime++;
      else if (f & DECIDED_LATE) this.decidedLate++;
      if (f & STILL_OPEN) this.stillOpen++;
      if (f & OPEN_OVERDUE) this.openOverdue++;
      if (f & INSTANT) this.instantCompleted++;
      if (f & SAME_DAY) this.sameDay++;
    }
    switch (slot) {
      case 0:
        this.r0++;
        break;
      case 1:
        this.r1++;
        break;
      case 2:
        this.r2++;
        break;
      case 3:
        this.r3++;
        break;
      case 4:
        this.r4++;
        break;
      case DEFAULT_SLOT:
        this.rDefault++;
        break;
    }
  }

  noteDepartment(department: string): void {
    if (this.lastDepartment === department) return;
    this.lastDepartment = department;
    (this.departments ??= new Set()).add(department);
  }

  counts(): Counts {
    const ratings: RatingCounts = {
      'very-satisfied': this.r0,
      satisfied: this.r1,
      'fairly-satisfied': this.r2,
      dissatisfied: this.r3,
      'very-dissatisfied': this.r4,
      default: this.rDefault,
    };
    return {
      received: this.received,
      receivedOnline: this.receivedOnline,
      receivedWindow: this.receivedWindow,
      accepted: this.accepted,
      decided: this.approved + this.denied,
      approved: this.approved,
      denied: this.denied,
      completedEarly: this.completedEarly,
      onTime: this.onTime,
      decidedLate: this.decidedLate,
      openOverdue: this.openOverdue,
      overdue: this.decidedLate + this.openOverdue,
      stillOpen: this.stillOpen,
      instantCompleted: this.instantCompleted,
      sameDay: this.sameDay,
      ratings,
      rated: this.r0 + this.r1 + this.r2 + this.r3 + this.r4,
      badRatings: this.r3 + this.r4,
      followUps: this.followUps,
      followUpsDue: this.followUpsDue,
      followUpsClosedOnTime: this.followUpsClosedOnTime,
      complaints: this.complaints,
      complaintsDue: this.complaintsDue,
      complaintsAnsweredOnTime: this.complaintsAnsweredOnTime,
      inquiries: this.inquiries,
      handovers: this.handovers,
      consultations: this.consultations,
      extendedHoursOrAppointments: this.extendedHoursOrAppointments,
    };
  }

  figures(): Figures {
    const counts = this.counts();
    return { ...counts, ...rates(counts) };
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

  constructor(period: Period) {
    this.period = validatePeriod({ from: period.from, to: period.to });
    this.fromDay = dayOfDatePrefix(period.from);
    this.toDay = dayOfDatePrefix(period.to);
  }

  /** Counts one case (see FORMULAS for what each figure takes from it). */
  add(row: ReportCase): void {
    const from = this.fromDay;
    const to = this.toDay;
    const r = chinaDayNumber(row.receivedAt);
    const a = chinaDayNumber(row.acceptedAt);
    const d = chinaDayNumber(row.decidedAt);
    const outcome =
      row.decision !== undefined
        ? row.decision.outcome
        : row.status === 'approved'
          ? 'approve'
          : row.status === 'denied'
            ? 'deny'
            : undefined;

    let f = 0;
    if (r >= from && r <= to) f |= row.channel === 'online' ? RECEIVED_ONLINE : RECEIVED_WINDOW;
    if (a >= from && a <= to) f |= ACCEPTED;
    const c = row.deadlines === undefined ? NaN : chinaDayNumber(row.deadlines.committed);
    if (outcome !== undefined && d >= from && d <= to) {
      // No committed deadline: nothing was promised, so nothing was missed.
      f |= c !== c || d <= c ? ON_TIME : DECIDED_LATE;
      if (outcome === 'approve') {
        f |= APPROVED;
        if (d < c) f |= COMPLETED_EARLY;
        if (a === d) f |= INSTANT;
        if (r === d) f |= SAME_DAY;
      } else {
        f |= DENIED;
      }
    }
    // Open at period end: received by then, not withdrawn, and no decision by then
    // (a decision without a decidedAt is taken as made, at an unknown time).
    if (r <= to && row.status !== 'withdrawn' && (outcome === undefined || d > to)) {
      f |= STILL_OPEN;
      if (c <= to && row.status !== 'supplement-required') f |= OPEN_OVERDUE;
    }

    let slot = -1;
    const rating = row.rating;
    // A rating a supervisor voided as malicious (申诉复核) counts nowhere.
    if (rating !== undefined && !rating.voided) {
      const day = rating.at !== undefined ? chinaDayNumber(rating.at) : d;
      if (day >= from && day <= to) slot = rating.source === 'default' ? DEFAULT_SLOT : ratingSlot(rating.level);
    }

    if (f === 0 && slot === -1) return;
    this.total.applyCase(f, slot);
    this.department(row.department).applyCase(f, slot);
    this.window(row.post, row.department).applyCase(f, slot);
  }

  /** Adds a page of rows. */
  addAll(rows: Iterable<ReportCase>): void {
    for (const row of rows) this.add(row);
  }

  addComplaint(complaint: ReportComplaint): void {
    const from = this.fromDay;
    const to = this.toDay;
    const received = chinaDayNumber(complaint.receivedAt);
    const due = chinaDayNumber(complaint.due);
    const inPeriod = received >= from && received <= to;
    const dueInPeriod = due >= from && due <= to;
    if (!inPeriod && !dueInPeriod) return;
    const onTime = dueInPeriod && chinaDayNumber(complaint.answeredAt) <= due;
    const department = complaint.department ?? complaint.handlingDepartment ?? UNASSIGNED_DEPARTMENT;
    for (const b of this.bucketsFor(department, complaint.post)) {
      if (inPeriod) b.complaints++;
      if (dueInPeriod) b.complaintsDue++;
      if (onTime) b.complaintsAnsweredOnTime++;
    }
  }

  addFollowUp(followUp: ReportFollowUp): void {
    if (followUp.state === 'voided') return;
    const from = this.fromDay;
    const to = this.toDay;
    const opened = chinaDayNumber(followUp.openedAt);
    const due = chinaDayNumber(followUp.due);
    const inPeriod = opened >= from && opened <= to;
    const dueInPeriod = due >= from && due <= to;
    if (!inPeriod && !dueInPeriod) return;
    const onTime = dueInPeriod && chinaDayNumber(followUp.closedAt) <= due;
    for (const b of this.bucketsFor(followUp.department, followUp.post)) {
      if (inPeriod) b.followUps++;
      if (dueInPeriod) b.followUpsDue++;
      if (onTime) b.followUpsClosedOnTime++;
    }
  }

  addServiceCounts(counts: ServiceCounts): void {
    for (const b of this.bucketsFor(counts.department, counts.post)) {
      b.inquiries += counts.inquiries ?? 0;
      b.handovers += counts.handovers ?? 0;
      b.consultations += counts.consultations ?? 0;
      b.extendedHoursOrAppointments += counts.extendedHoursOrAppointments ?? 0;
    }
  }

  /** The report so far. Can be called more than once; adding more afterwards is fine. */
  result(options: ReportResultOptions): Report {
    const departments: DeptFigures[] = [...this.byDepartment.keys()]
      .sort(compareKeys)
      .map((department) => ({ department, ...this.byDepartment.get(department)!.figures() }));
    const windows: WindowFigures[] = [...this.byWindow.keys()].sort(compareKeys).map((window) => {
      const bucket = this.byWindow.get(window)!;
      return { window, departments: [...(bucket.departments ?? [])].sort(compareCodes), ...bucket.figures() };
    });
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
