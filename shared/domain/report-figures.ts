/**
 * The figures of a report (统计报表), defined once: `FIGURES` below. Each entry names a figure
 * (key, Chinese and English name, the formula in words) and says how it is had:
 *
 *   count + `count`: tallied from rows: a case (`when` over its `CaseFacts`), a rating level,
 *                    a follow-up or complaint (`when` over its `DueFacts`), or a service count;
 *   count + `sum`:   the sum of other counts;
 *   rate:            Σ `of` ÷ Σ `per`, rounded to 4 decimals, null when that is 0.
 *
 * From this one table come the counters of the accumulator (reports.ts), the `Counts` and
 * `Rates` types, `FORMULAS` (the README's table, test/unit/readme-formulas.test.ts) and the CSV
 * columns in this order (report-csv.ts). A new figure is one entry here.
 *
 * Pure: no I/O.
 */
import type { CaseStatus, Channel, RatingLevel } from './case';
import { RATING_LEVELS } from './case';

// ---------------------------------------------------------------------------------------
// What a row is, for the `when` of a figure

/** A case row as the figures read it: computed once per row by the accumulator. */
export interface CaseFacts {
  /** China day numbers (china-time.ts), NaN when absent; the committed deadline's too. */
  received: number;
  accepted: number;
  decided: number;
  committed: number;
  /** Day number of the period's last day. */
  periodEnd: number;
  receivedInPeriod: boolean;
  acceptedInPeriod: boolean;
  /** The case has a decision (outcome, or an approved / denied status) whose date is in the period. */
  decidedInPeriod: boolean;
  outcome: 'approve' | 'deny' | undefined;
  channel: Channel;
  status: CaseStatus;
}

/** A follow-up or complaint row: opened (received) in the period, due in it, done by its due date. */
export interface DueFacts {
  inPeriod: boolean;
  dueInPeriod: boolean;
  doneByDue: boolean;
}

/** Counts kept elsewhere (inquiry log, A/B post log, ...) that the caller adds as they are. */
export type ServiceField = 'inquiries' | 'handovers' | 'consultations' | 'extendedHoursOrAppointments';

export type Tally =
  | { from: 'cases'; when: (c: CaseFacts) => boolean }
  | { from: 'ratings'; level: RatingLevel | 'default' }
  | { from: 'followUps' | 'complaints'; when: (d: DueFacts) => boolean }
  | { from: 'services'; field: ServiceField };

interface Named {
  key: string;
  zh: string;
  en: string;
  formula: string;
}

export type FigureDef =
  | (Named & { kind: 'count'; count: Tally })
  | (Named & { kind: 'count'; sum: readonly string[] })
  | (Named & { kind: 'rate'; of: readonly string[]; per: readonly string[] });

const approvedInPeriod = (c: CaseFacts) => c.decidedInPeriod && c.outcome === 'approve';
/** Received by period end, not withdrawn, no decision by then (a decision without a date is taken as made). */
const openAtPeriodEnd = (c: CaseFacts) =>
  c.received <= c.periodEnd && c.status !== 'withdrawn' && (c.outcome === undefined || c.decided > c.periodEnd);

// ---------------------------------------------------------------------------------------
// The table

/**
 * Every figure of a report, in the order halls publish them (the CSV columns). "In the period"
 * means the China date (Asia/Shanghai) of the instant falls between `from` and `to`, both
 * inclusive; "by period end" means on or before `to`. A date compared with a deadline is a
 * China date too.
 */
export const FIGURES = [
  {
    key: 'received',
    zh: '收件',
    en: 'received',
    kind: 'count',
    formula: 'cases whose receivedAt is in the period',
    sum: ['receivedOnline', 'receivedWindow'],
  },
  {
    key: 'receivedOnline',
    zh: '网上申报',
    en: 'received online',
    kind: 'count',
    formula: 'received with channel online',
    count: { from: 'cases', when: (c) => c.receivedInPeriod && c.channel === 'online' },
  },
  {
    key: 'receivedWindow',
    zh: '窗口受理',
    en: 'received at a window',
    kind: 'count',
    formula: 'received with channel window',
    count: { from: 'cases', when: (c) => c.receivedInPeriod && c.channel !== 'online' },
  },
  {
    key: 'accepted',
    zh: '受理',
    en: 'accepted',
    kind: 'count',
    formula: 'cases whose acceptedAt is in the period',
    count: { from: 'cases', when: (c) => c.acceptedInPeriod },
  },
  {
    key: 'decided',
    zh: '审结',
    en: 'decided',
    kind: 'count',
    formula: 'cases with a decision whose decidedAt is in the period (approved + denied)',
    sum: ['approved', 'denied'],
  },
  {
    key: 'approved',
    zh: '办结',
    en: 'completed (approved)',
    kind: 'count',
    formula: 'decided with outcome approve',
    count: { from: 'cases', when: approvedInPeriod },
  },
  {
    key: 'denied',
    zh: '不予许可',
    en: 'not licensed (denied)',
    kind: 'count',
    formula: 'decided with outcome deny',
    count: { from: 'cases', when: (c) => c.decidedInPeriod && c.outcome !== 'approve' },
  },
  {
    key: 'completedEarly',
    zh: '提前办结',
    en: 'completed early',
    kind: 'count',
    formula: 'approved whose decision date is strictly before the committed deadline date',
    count: { from: 'cases', when: (c) => approvedInPeriod(c) && c.decided < c.committed },
  },
  {
    key: 'onTime',
    zh: '按时办结',
    en: 'decided on time',
    kind: 'count',
    formula:
      'decided on or before the committed deadline date (a case with no committed deadline missed nothing and counts here)',
    // No committed deadline (NaN): nothing was promised, so nothing was missed.
    count: { from: 'cases', when: (c) => c.decidedInPeriod && !(c.decided > c.committed) },
  },
  {
    key: 'overdue',
    zh: '超期',
    en: 'overdue',
    kind: 'count',
    formula: 'decidedLate + openOverdue',
    sum: ['decidedLate', 'openOverdue'],
  },
  {
    key: 'decidedLate',
    zh: '超期办结',
    en: 'decided late',
    kind: 'count',
    formula: 'decided after the committed deadline date (decided = onTime + decidedLate)',
    count: { from: 'cases', when: (c) => c.decidedInPeriod && c.decided > c.committed },
  },
  {
    key: 'openOverdue',
    zh: '超期未办结',
    en: 'open and overdue',
    kind: 'count',
    formula:
      'stillOpen whose committed deadline date is on or before period end, except cases now waiting on the applicant (supplement-required)',
    count: {
      from: 'cases',
      when: (c) => openAtPeriodEnd(c) && c.committed <= c.periodEnd && c.status !== 'supplement-required',
    },
  },
  {
    key: 'stillOpen',
    zh: '在办',
    en: 'still open',
    kind: 'count',
    formula:
      'received by period end, not withdrawn, and not decided by period end (no decision yet, or decidedAt after period end)',
    count: { from: 'cases', when: openAtPeriodEnd },
  },
  {
    key: 'instantCompleted',
    zh: '即时办结',
    en: 'completed instantly',
    kind: 'count',
    formula:
      'approved whose acceptance and decision fall on the same China date (当天受理、办结), whatever the item kind',
    count: { from: 'cases', when: (c) => approvedInPeriod(c) && c.accepted === c.decided },
  },
  {
    key: 'sameDay',
    zh: '当日办结',
    en: 'completed the day received',
    kind: 'count',
    formula: 'approved whose receipt and decision fall on the same China date',
    count: { from: 'cases', when: (c) => approvedInPeriod(c) && c.received === c.decided },
  },
  {
    key: 'completionRate',
    zh: '办结率',
    en: 'completion rate',
    kind: 'rate',
    formula: 'approved ÷ received',
    of: ['approved'],
    per: ['received'],
  },
  {
    key: 'earlyCompletionRate',
    zh: '提前办结率',
    en: 'early-completion rate',
    kind: 'rate',
    formula: 'completedEarly ÷ approved',
    of: ['completedEarly'],
    per: ['approved'],
  },
  {
    key: 'instantCompletionRate',
    zh: '即时办结率',
    en: 'instant-completion rate',
    kind: 'rate',
    formula: 'instantCompleted ÷ approved',
    of: ['instantCompleted'],
    per: ['approved'],
  },
  {
    key: 'sameDayRate',
    zh: '当日办结率',
    en: 'same-day rate',
    kind: 'rate',
    formula: 'sameDay ÷ approved',
    of: ['sameDay'],
    per: ['approved'],
  },
  {
    key: 'onTimeRate',
    zh: '按时办结率',
    en: 'on-time rate',
    kind: 'rate',
    formula: 'onTime ÷ decided',
    of: ['onTime'],
    per: ['decided'],
  },
  {
    key: 'ratings.very-satisfied',
    zh: '非常满意',
    en: 'very satisfied',
    kind: 'count',
    formula: 'applicant ratings (sms, online, window) given in the period at this level',
    count: { from: 'ratings', level: 'very-satisfied' },
  },
  {
    key: 'ratings.satisfied',
    zh: '满意',
    en: 'satisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
    count: { from: 'ratings', level: 'satisfied' },
  },
  {
    key: 'ratings.fairly-satisfied',
    zh: '基本满意',
    en: 'fairly satisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
    count: { from: 'ratings', level: 'fairly-satisfied' },
  },
  {
    key: 'ratings.dissatisfied',
    zh: '不满意',
    en: 'dissatisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
    count: { from: 'ratings', level: 'dissatisfied' },
  },
  {
    key: 'ratings.very-dissatisfied',
    zh: '非常不满意',
    en: 'very dissatisfied',
    kind: 'count',
    formula: 'applicant ratings given in the period at this level',
    count: { from: 'ratings', level: 'very-dissatisfied' },
  },
  {
    key: 'ratings.default',
    zh: '默认评价',
    en: 'default ratings',
    kind: 'count',
    formula: 'ratings with source default given in the period, any level; shown apart, never in the satisfaction rate',
    count: { from: 'ratings', level: 'default' },
  },
  {
    key: 'rated',
    zh: '评价数',
    en: 'applicant ratings',
    kind: 'count',
    formula: 'sum of the five applicant rating levels (defaults excluded)',
    sum: [
      'ratings.very-satisfied',
      'ratings.satisfied',
      'ratings.fairly-satisfied',
      'ratings.dissatisfied',
      'ratings.very-dissatisfied',
    ],
  },
  {
    key: 'satisfactionRate',
    zh: '满意率',
    en: 'satisfaction rate',
    kind: 'rate',
    formula:
      '(very satisfied + satisfied + fairly satisfied) ÷ rated (applicant ratings only; default ratings excluded)',
    of: ['ratings.very-satisfied', 'ratings.satisfied', 'ratings.fairly-satisfied'],
    // rated, from its levels: what a caller of rates() gives is the levels
    per: [
      'ratings.very-satisfied',
      'ratings.satisfied',
      'ratings.fairly-satisfied',
      'ratings.dissatisfied',
      'ratings.very-dissatisfied',
    ],
  },
  {
    key: 'badRatings',
    zh: '差评',
    en: 'bad ratings',
    kind: 'count',
    formula: 'applicant ratings dissatisfied + very dissatisfied',
    sum: ['ratings.dissatisfied', 'ratings.very-dissatisfied'],
  },
  {
    key: 'followUps',
    zh: '差评回访',
    en: 'bad-rating follow-ups opened',
    kind: 'count',
    formula: 'follow-ups whose openedAt is in the period (those voided on appeal never count)',
    count: { from: 'followUps', when: (f) => f.inPeriod },
  },
  {
    key: 'followUpsDue',
    zh: '应整改差评',
    en: 'follow-ups due',
    kind: 'count',
    formula: 'follow-ups whose due date is in the period (those voided on appeal never count)',
    count: { from: 'followUps', when: (f) => f.dueInPeriod },
  },
  {
    key: 'followUpsClosedOnTime',
    zh: '按时整改',
    en: 'follow-ups closed on time',
    kind: 'count',
    formula: 'followUpsDue closed on or before the due date',
    count: { from: 'followUps', when: (f) => f.dueInPeriod && f.doneByDue },
  },
  {
    key: 'badRatingRectificationRate',
    zh: '差评整改率',
    en: 'bad-rating rectification rate',
    kind: 'rate',
    formula: 'followUpsClosedOnTime ÷ followUpsDue',
    of: ['followUpsClosedOnTime'],
    per: ['followUpsDue'],
  },
  {
    key: 'complaints',
    zh: '投诉',
    en: 'complaints received',
    kind: 'count',
    formula: 'complaints whose receivedAt is in the period',
    count: { from: 'complaints', when: (c) => c.inPeriod },
  },
  {
    key: 'complaintsDue',
    zh: '应答复投诉',
    en: 'complaints due',
    kind: 'count',
    formula: 'complaints whose due date is in the period',
    count: { from: 'complaints', when: (c) => c.dueInPeriod },
  },
  {
    key: 'complaintsAnsweredOnTime',
    zh: '按时答复投诉',
    en: 'complaints answered on time',
    kind: 'count',
    formula: 'complaintsDue answered on or before the due date',
    count: { from: 'complaints', when: (c) => c.dueInPeriod && c.doneByDue },
  },
  {
    key: 'complaintsAnsweredOnTimeRate',
    zh: '投诉按时答复率',
    en: 'complaints answered on time',
    kind: 'rate',
    formula: 'complaintsAnsweredOnTime ÷ complaintsDue',
    of: ['complaintsAnsweredOnTime'],
    per: ['complaintsDue'],
  },
  {
    key: 'inquiries',
    zh: '首问登记',
    en: 'first inquiries logged',
    kind: 'count',
    formula: 'given by the caller for the period',
    count: { from: 'services', field: 'inquiries' },
  },
  {
    key: 'handovers',
    zh: 'AB岗交接',
    en: 'A/B post handovers',
    kind: 'count',
    formula: 'given by the caller for the period',
    count: { from: 'services', field: 'handovers' },
  },
  {
    key: 'consultations',
    zh: '咨询',
    en: 'consultations',
    kind: 'count',
    formula: 'given by the caller for the period',
    count: { from: 'services', field: 'consultations' },
  },
  {
    key: 'extendedHoursOrAppointments',
    zh: '延时或预约服务',
    en: 'extended-hours or appointment services',
    kind: 'count',
    formula: 'given by the caller for the period',
    count: { from: 'services', field: 'extendedHoursOrAppointments' },
  },
] as const satisfies readonly FigureDef[];

// ---------------------------------------------------------------------------------------
// Types from the table

type Figure = (typeof FIGURES)[number];
export type FigureKey = Figure['key'];
type CountKey = Extract<Figure, { kind: 'count' }>['key'];
export type RateKey = Extract<Figure, { kind: 'rate' }>['key'];

/** Applicant ratings by level, and default ratings (超时默认评价) apart, whatever their level. */
export type RatingCounts = Record<RatingLevel, number> & { default: number };

export type Counts = Record<Exclude<CountKey, `ratings.${string}`>, number> & { ratings: RatingCounts };

/** Fractions from 0 to 1, rounded to 4 decimals; null when the denominator is 0. */
export type Rates = Record<RateKey, number | null>;

export type Figures = Counts & Rates;

/** The counts the rates read; missing ones count as 0. */
export type RateCounts = Omit<Counts, 'ratings'> & { ratings: Partial<Record<RatingLevel, number>> };

/** A figure as the README and the CSV describe it. */
export interface Formula {
  key: FigureKey;
  zh: string;
  en: string;
  kind: 'count' | 'rate';
  formula: string;
}

/** Every figure's names and formula, in table order (the README's table and the CSV headers). */
export const FORMULAS: readonly Formula[] = FIGURES.map(({ key, zh, en, kind, formula }) => ({
  key,
  zh,
  en,
  kind,
  formula,
}));

// ---------------------------------------------------------------------------------------
// Rates: a function of counts only

/** num ÷ den as a fraction rounded to 4 decimals (so 2 decimals as a percentage); null when den is 0. */
function ratio(num: number, den: number): number | null {
  if (!den) return null;
  // One division of exact integers, then one rounding: no 0.1-style drift before rounding.
  return Math.round((num * 10_000) / den) / 10_000;
}

const BY_KEY = new Map<string, FigureDef>(FIGURES.map((f) => [f.key, f]));

function figure(key: string, from: string): FigureDef {
  const f = BY_KEY.get(key);
  if (f === undefined) throw new Error(`report figure ${from} refers to ${key}, which FIGURES does not define`);
  return f;
}

/** A path into a counts object: ['received'] or ['ratings', 'satisfied']. */
function pathOf(key: string): [string] | [string, string] {
  const dot = key.indexOf('.');
  return dot < 0 ? [key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** A count read from a (partial) counts object, 0 when it is missing. */
function readCount(counts: Partial<RateCounts>, key: string): number {
  const path = pathOf(key);
  const raw = counts as Record<string, unknown>;
  const value = path.length === 1 ? raw[path[0]] : (raw[path[0]] as Record<string, unknown> | undefined)?.[path[1]];
  return typeof value === 'number' ? value : 0;
}

/** One figure of a report's figures by its key (`received`, `ratings.satisfied`, `completionRate`). */
export function figureValue(figures: Figures, key: FigureKey): number | null {
  const path = pathOf(key);
  const raw = figures as unknown as Record<string, number | null | Record<string, number>>;
  const value = path.length === 1 ? raw[path[0]] : (raw[path[0]] as Record<string, number>)[path[1]];
  return value as number | null;
}

const RATE_FIGURES = FIGURES.filter((f) => f.kind === 'rate');

/**
 * The rates from their counts (see `FIGURES`). Note that completionRate (approved ÷ received)
 * can exceed 1 over a short period when approvals of earlier receipts outnumber new receipts;
 * every other rate is a share of its own denominator and stays within 0..1.
 */
export function rates(counts: Partial<RateCounts>): Rates {
  const out: Partial<Record<RateKey, number | null>> = {};
  for (const f of RATE_FIGURES) {
    out[f.key] = ratio(
      f.of.reduce((n: number, k) => n + readCount(counts, k), 0),
      f.per.reduce((n: number, k) => n + readCount(counts, k), 0),
    );
  }
  return out as Rates;
}

// ---------------------------------------------------------------------------------------
// Counters: one slot per tallied figure, laid out from the table

/** The tallied figures of one source, as parallel lists: bit i of a row's mask bumps `slots[i]`. */
export interface TallyPlan<F> {
  slots: readonly number[];
  tests: readonly ((facts: F) => boolean)[];
}

/** Where every tallied figure is counted, and how each count figure reads the counters. */
export interface CounterLayout {
  size: number;
  cases: TallyPlan<CaseFacts>;
  followUps: TallyPlan<DueFacts>;
  complaints: TallyPlan<DueFacts>;
  /** Rating level (or 'default') → slot. */
  ratings: ReadonlyMap<string, number>;
  services: readonly { slot: number; field: ServiceField }[];
  /** Each count figure in table order: its path in `Counts` and the slots it adds up. */
  counts: readonly { path: [string] | [string, string]; slots: readonly number[] }[];
}

function layOut(): CounterLayout {
  const slotOf = new Map<string, number>();
  const cases: { slots: number[]; tests: ((c: CaseFacts) => boolean)[] } = { slots: [], tests: [] };
  const followUps: { slots: number[]; tests: ((d: DueFacts) => boolean)[] } = { slots: [], tests: [] };
  const complaints: { slots: number[]; tests: ((d: DueFacts) => boolean)[] } = { slots: [], tests: [] };
  const ratings = new Map<string, number>();
  const services: { slot: number; field: ServiceField }[] = [];
  for (const f of FIGURES as readonly FigureDef[]) {
    if (!('count' in f)) continue;
    const slot = slotOf.size;
    slotOf.set(f.key, slot);
    const c = f.count;
    if (c.from === 'cases') {
      cases.slots.push(slot);
      cases.tests.push(c.when);
    } else if (c.from === 'ratings') {
      ratings.set(c.level, slot);
    } else if (c.from === 'services') {
      services.push({ slot, field: c.field });
    } else {
      const p = c.from === 'followUps' ? followUps : complaints;
      p.slots.push(slot);
      p.tests.push(c.when);
    }
  }
  for (const level of [...RATING_LEVELS, 'default' as const]) {
    if (!ratings.has(level)) throw new Error(`FIGURES has no count for the rating level ${level}`);
  }
  for (const p of [cases, followUps, complaints]) {
    if (p.slots.length > 31)
      throw new Error('a row source has more than 31 tallied figures: they no longer fit a mask');
  }
  const slotsOf = (key: string, from: string): number[] => {
    const f = figure(key, from);
    const slot = slotOf.get(key);
    if (slot !== undefined) return [slot];
    if ('sum' in f) return f.sum.flatMap((part) => slotsOf(part, key));
    throw new Error(`report figure ${from} adds up ${key}, which is a rate`);
  };
  const counts = FIGURES.filter((f) => f.kind === 'count').map((f) => ({
    path: pathOf(f.key),
    slots: slotsOf(f.key, f.key),
  }));
  for (const f of RATE_FIGURES) [...f.of, ...f.per].forEach((k) => slotsOf(k, f.key));
  return {
    size: slotOf.size,
    cases,
    followUps,
    complaints,
    ratings,
    services,
    counts,
  };
}

export const COUNTERS: CounterLayout = layOut();

/** The counter slot of a rating level, or of 'default' (default ratings); -1 for anything else. */
export function ratingSlot(level: string): number {
  return COUNTERS.ratings.get(level) ?? -1;
}

/** The mask of a row: bit i set when the plan's i-th test holds. */
export function maskOf<F>(plan: TallyPlan<F>, facts: F): number {
  const tests = plan.tests;
  let mask = 0;
  for (let i = 0; i < tests.length; i++) if (tests[i](facts)) mask |= 1 << i;
  return mask;
}

/** The figures (counts, then rates) of a set of counters. */
export function figuresOf(counters: ArrayLike<number>): Figures {
  const out: Record<string, number | Record<string, number>> = {};
  for (const { path, slots } of COUNTERS.counts) {
    let n = 0;
    for (const s of slots) n += counters[s];
    if (path.length === 1) out[path[0]] = n;
    else ((out[path[0]] ??= {}) as Record<string, number>)[path[1]] = n;
  }
  const counts = out as unknown as Counts;
  return { ...counts, ...rates(counts) };
}
