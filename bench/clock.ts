/**
 * Deadline computation throughput (issue 3, "the clock"): computeDeadlines over a 10-year
 * official calendar (2017–2026 from chinese-days), in cases per second, for a realistic mix
 * of cases, against a bare baseline in the same run: the same loop over the same cases doing
 * only what a calendar-less clock would (Date.parse of the instants, day numbers, calendar-day
 * additions), in interleaved rounds. Pure CPU: no runtime, no I/O.
 *
 * The mix (seeded, so every run measures the same cases): acceptance on a working day spread
 * over the 10 years, committed and statutory limits of 5–60 working or calendar days, 0–2
 * pauses (supplement, expert review, public notice...), one of them possibly still open,
 * `now` 0–45 days after acceptance. Some limits run into 2027, which has no data: those cases
 * take the `calendarIncomplete` path, as they would in production.
 */
import { performance } from 'node:perf_hooks';
import type { Pause, PauseReason } from '../shared/domain/case';
import { WorkingCalendar } from '../shared/domain/calendar';
import { officialCalendarYears } from '../shared/domain/calendar-seed';
import { toChinaIso } from '../shared/domain/china-time';
import { computeDeadlines, type DeadlineInput, type TimeLimit } from '../shared/domain/deadlines';
import { round, type Benchmark, type Row } from './lib';

const FIRST_YEAR = 2017;
const LAST_YEAR = 2026;
const CASES = 100_000;
const ROUNDS = 5;
const WARMUP_PASSES = 3;
const SEED = 20260928;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** mulberry32: a small seeded PRNG, so every run measures the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The instant of a China date (YYYY-MM-DD) at hh:mm, as the service writes it (toChinaIso). */
function at(date: string, hour: number, minute: number): string {
  return toChinaIso(new Date(Date.parse(`${date}T00:00:00+08:00`) + (hour * 60 + minute) * 60_000));
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const PAUSE_REASONS: readonly PauseReason[] = [
  'supplement',
  'supplement',
  'supplement',
  'expert-review',
  'public-notice',
  'inspection',
];

export interface ClockCase extends DeadlineInput {
  pauseCount: number;
  openPause: boolean;
}

/** The realistic mix described at the top of this file. */
export function makeCases(calendar: WorkingCalendar, n: number, seed = SEED): ClockCase[] {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const first = Date.parse(`${FIRST_YEAR}-01-01T00:00:00Z`) / DAY_MS;
  const last = Date.parse(`${LAST_YEAR}-12-31T00:00:00Z`) / DAY_MS;
  const unit = (pWorking: number): TimeLimit['unit'] => (rand() < pWorking ? 'working-days' : 'calendar-days');
  const cases: ClockCase[] = [];
  for (let i = 0; i < n; i++) {
    let accepted = new Date(int(first, last) * DAY_MS).toISOString().slice(0, 10);
    if (!calendar.isWorkingDay(accepted)) accepted = calendar.nextWorkingDay(accepted); // the hall accepts on working days
    const acceptedAt = at(accepted, int(8, 16), int(0, 59));
    const committed = int(5, 60);
    const committedLimit: TimeLimit = { value: committed, unit: unit(0.7) };
    const statutoryLimit: TimeLimit = { value: int(committed, 60), unit: unit(0.5) };
    const nowDate = addDays(accepted, int(0, 45));
    const now = new Date(Date.parse(at(nowDate, 12, 0)));
    const r = rand();
    const wanted = r < 0.5 ? 0 : r < 0.85 ? 1 : 2;
    const pauses: Pause[] = [];
    let cursor = accepted;
    let openPause = false;
    for (let p = 0; p < wanted; p++) {
      const startDate = addDays(cursor, int(0, 15));
      if (startDate > nowDate) break; // a pause not begun yet is not on the record
      const endDate = addDays(startDate, int(1, 20));
      const reason = PAUSE_REASONS[int(0, PAUSE_REASONS.length - 1)];
      if (endDate > nowDate) {
        pauses.push({ start: at(startDate, 10, int(0, 59)), reason }); // still open: runs to today
        openPause = true;
        break;
      }
      pauses.push({ start: at(startDate, 10, int(0, 59)), end: at(endDate, 15, int(0, 59)), reason });
      cursor = endDate;
    }
    cases.push({
      acceptedAt,
      committedLimit,
      statutoryLimit,
      pauses,
      calendar,
      now,
      pauseCount: pauses.length,
      openPause,
    });
  }
  return cases;
}

/** The service: computeDeadlines per case. Returns a checksum so nothing is optimized away. */
function serviceLoop(cases: readonly ClockCase[]): number {
  let sink = 0;
  for (let i = 0; i < cases.length; i++) {
    const d = computeDeadlines(cases[i]);
    sink += d.workingDaysLeft + d.committed.length + d.statutory.length;
  }
  return sink;
}

/**
 * The bare baseline: what a clock without a calendar costs. Date.parse of each instant, day
 * numbers, committed and statutory = acceptance day + limit + paused days (calendar days, no
 * working days, no art. 203 roll, no strings out).
 */
function bareLoop(cases: readonly ClockCase[]): number {
  let sink = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const day = Math.floor((Date.parse(c.acceptedAt) + CHINA_OFFSET_MS) / DAY_MS);
    const today = Math.floor((c.now.getTime() + CHINA_OFFSET_MS) / DAY_MS);
    let paused = 0;
    for (const p of c.pauses) {
      const from = Math.floor((Date.parse(p.start) + CHINA_OFFSET_MS) / DAY_MS);
      const to = p.end === undefined ? today : Math.floor((Date.parse(p.end) + CHINA_OFFSET_MS) / DAY_MS);
      if (to > from) paused += to - from;
    }
    const committed = day + c.committedLimit.value + paused;
    const statutory = day + c.statutoryLimit.value + paused;
    sink += committed - today + statutory;
  }
  return sink;
}

function timeOnce(
  fn: (cases: readonly ClockCase[]) => number,
  cases: readonly ClockCase[],
): { ms: number; sink: number } {
  const t0 = performance.now();
  const sink = fn(cases);
  return { ms: performance.now() - t0, sink };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export const clock: Benchmark = {
  name: 'clock',
  description: `computeDeadlines over the ${FIRST_YEAR}–${LAST_YEAR} calendar, cases/s for a realistic mix vs bare Date.parse + day arithmetic`,
  run(ctx) {
    const tenYears = officialCalendarYears().filter((y) => y.year >= FIRST_YEAR && y.year <= LAST_YEAR);
    const allYears = officialCalendarYears();
    // What the calendar costs to build: the 10 years here, and every seeded year (what the
    // CalendarRepository builds on each cache miss, once a minute per process).
    const build = (years: typeof tenYears, times: number) => {
      let cal: WorkingCalendar | undefined;
      const t0 = performance.now();
      for (let i = 0; i < times; i++) cal = new WorkingCalendar(years);
      return { cal: cal!, ms: (performance.now() - t0) / times };
    };
    build(allYears, 3);
    const ten = build(tenYears, 10);
    const all = build(allYears, 10);
    const calendar = ten.cal;
    const years = calendar.years();
    ctx.check(
      `calendar holds the ${LAST_YEAR - FIRST_YEAR + 1} official years ${FIRST_YEAR}–${LAST_YEAR}`,
      years.length === LAST_YEAR - FIRST_YEAR + 1 && years[0] === FIRST_YEAR && years.at(-1) === LAST_YEAR,
      years.join(','),
    );

    const cases = makeCases(calendar, CASES);
    const mixes: { label: string; cases: ClockCase[] }[] = [
      { label: 'realistic mix (all cases)', cases },
      { label: 'no pause', cases: cases.filter((c) => c.pauseCount === 0) },
      { label: '1–2 pauses, all closed', cases: cases.filter((c) => c.pauseCount > 0 && !c.openPause) },
      { label: 'a pause still open', cases: cases.filter((c) => c.openPause) },
    ];

    // Correctness first (outside the timing): golden dates and sanity over the whole mix.
    const golden = computeDeadlines({
      acceptedAt: '2026-09-28T09:00:00+08:00',
      committedLimit: { value: 10, unit: 'working-days' },
      statutoryLimit: { value: 30, unit: 'calendar-days' },
      pauses: [],
      calendar,
      now: new Date('2026-09-28T09:00:00+08:00'),
    });
    ctx.check(
      'golden: 10 working days after 2026-09-28 is 2026-10-16',
      golden.committed === '2026-10-16',
      golden.committed,
    );
    let notWorking = 0;
    let early = 0;
    let incomplete = 0;
    for (const c of cases) {
      const d = computeDeadlines(c);
      const accepted = c.acceptedAt.slice(0, 10);
      for (const [deadline, limit] of [
        [d.committed, c.committedLimit],
        [d.statutory, c.statutoryLimit],
      ] as const) {
        if (!calendar.isWorkingDay(deadline)) notWorking++;
        if (deadline < addDays(accepted, limit.value)) early++;
      }
      if (d.calendarIncomplete) incomplete++;
    }
    ctx.check('every deadline is a working day', notWorking === 0, `${notWorking} of ${2 * cases.length} are not`);
    ctx.check('no deadline before acceptance + its limit in calendar days', early === 0, `${early} earlier`);

    // Warm up both loops (the JIT), then interleaved rounds of every mix.
    for (let w = 0; w < WARMUP_PASSES; w++) {
      serviceLoop(cases);
      bareLoop(cases);
    }
    const perMix = mixes.map(() => ({ service: [] as number[], bare: [] as number[] }));
    let sink = 0;
    const bar = ctx.progress(
      `${ROUNDS} interleaved rounds over ${CASES.toLocaleString('en-US')} cases`,
      ROUNDS * mixes.length,
    );
    for (let r = 0; r < ROUNDS; r++) {
      mixes.forEach((m, i) => {
        // Alternate which side goes first, so neither always runs on a warmer cache.
        const order = r % 2 === 0 ? (['bare', 'service'] as const) : (['service', 'bare'] as const);
        for (const side of order) {
          const t = timeOnce(side === 'service' ? serviceLoop : bareLoop, m.cases);
          sink += t.sink;
          perMix[i][side].push(t.ms);
        }
        bar.tick();
      });
    }
    if (sink === 0.5) ctx.log('(checksum)'); // keeps the sinks alive

    const rows: Row[] = mixes.map((m, i) => {
      const s = median(perMix[i].service);
      const b = median(perMix[i].bare);
      return {
        mix: m.label,
        cases: m.cases.length,
        'computeDeadlines cases/s': round(m.cases.length / (s / 1000), 0),
        'bare cases/s': round(m.cases.length / (b / 1000), 0),
        'µs/case': round((s * 1000) / m.cases.length, 3),
        'bare µs/case': round((b * 1000) / m.cases.length, 3),
        'cost ×': round(s / b, 2),
      };
    });
    ctx.table(
      `Deadline computation, ${FIRST_YEAR}–${LAST_YEAR} calendar, median of ${ROUNDS} interleaved rounds`,
      rows,
    );
    const withPauses = cases.filter((c) => c.pauseCount > 0).length;
    ctx.table('The mix and the calendar', [
      { what: 'cases', value: cases.length },
      {
        what: 'working-day committed limits',
        value: cases.filter((c) => c.committedLimit.unit === 'working-days').length,
      },
      {
        what: 'with 1–2 pauses (of which one open)',
        value: `${withPauses} (${cases.filter((c) => c.openPause).length})`,
      },
      { what: 'calendarIncomplete (a deadline in 2027)', value: incomplete },
      { what: `build WorkingCalendar ${FIRST_YEAR}–${LAST_YEAR}, ms`, value: round(ten.ms, 2) },
      {
        what: `build WorkingCalendar, every seeded year (${allYears[0].year}–${allYears.at(-1)!.year}), ms`,
        value: round(all.ms, 2),
      },
    ]);

    const main = perMix[0];
    const s = median(main.service);
    const b = median(main.bare);
    ctx.figure('computeDeadlines throughput, realistic mix', CASES / (s / 1000), { unit: 'cases/s' });
    ctx.figure('bare baseline throughput (Date.parse + day arithmetic)', CASES / (b / 1000), { unit: 'cases/s' });
    ctx.ratio('time per case: computeDeadlines / bare', s, b, {
      detail: `rounds ${main.service.map((x, i) => round(x / main.bare[i], 2)).join(', ')}`,
    });
    ctx.record('cases', CASES);
    ctx.record(
      'rounds',
      mixes.map((m, i) => ({
        mix: m.label,
        cases: m.cases.length,
        serviceMs: perMix[i].service.map((x) => round(x, 2)),
        bareMs: perMix[i].bare.map((x) => round(x, 2)),
      })),
    );
    ctx.record('calendarBuildMs', { tenYears: ten.ms, allYears: all.ms });
    return Promise.resolve(); // all synchronous: the interface wants a promise
  },
};
