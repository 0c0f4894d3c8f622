/**
 * The data the reports and sweep benchmarks share: a month of 100,000 cases in one local
 * runtime (dynalite in memory), loaded once per process with BatchWriteItem and reused by both.
 *
 *   - October 2026: 100,000 cases across four departments (ENV 40%, CIVIL 25%, WATER 20%,
 *     LTAX 15%), received 10-08..10-19, 17 in 400 at the window: 99,000 decided (approved or
 *     denied, about 90% early) and 1,000 still open (accepted or in review) with committed
 *     deadlines spread from 10-12 to 11-27, so a sweep on 10-20 finds red, yellow and green ones;
 *   - September 2026: 1,000 more decided cases, so the table holds 100,000 closed cases beside
 *     the 1,000 open ones.
 * Items are written exactly as the case repository writes them (keys.case, entity 'case',
 * caseIndexAttributes, the record), with a three-step history, so every index is maintained.
 *
 * The runtime's clock stands at 2026-10-20 09:00 China time. The runtime is not stopped by a
 * benchmark's cleanup (the other benchmark may reuse it); the process exit ends it.
 */
import type { CaseRecord } from '../shared/domain/case';
import { WorkingCalendar } from '../shared/domain/calendar';
import { officialCalendarYears } from '../shared/domain/calendar-seed';
import { caseIndexAttributes, keys } from '../shared/store/keys';
import { batchLoad, startQuietRuntime, type BenchContext } from './lib';
import type { Runtime } from '../infra/local/runtime';

export const MONTH = '2026-10';
export const CLOCK = '2026-10-20T09:00:00+08:00';
export const MONTH_CASES = 100_000;
export const OPEN_CASES = 1_000;
export const SEPTEMBER_CLOSED = 1_000;

const DEPARTMENTS = [
  {
    code: 'ENV',
    post: 'ENV-01',
    staff: 'env-a1',
    item: 'ENV-EIA-FORM',
    name: '建设项目环境影响报告表审批',
    share: 0.4,
  },
  {
    code: 'CIVIL',
    post: 'CIVIL-01',
    staff: 'civil-a1',
    item: 'CIVIL-SOCORG-CHANGE',
    name: '社会团体变更登记',
    share: 0.25,
  },
  {
    code: 'WATER',
    post: 'WATER-01',
    staff: 'water-a1',
    item: 'WATER-SWC-PLAN',
    name: '生产建设项目水土保持方案审批',
    share: 0.2,
  },
  {
    code: 'LTAX',
    post: 'LTAX-01',
    staff: 'ltax-a1',
    item: 'LTAX-PAYMENT-DEFERRAL',
    name: '延期缴纳税款审批',
    share: 0.15,
  },
] as const;

const calendar = new WorkingCalendar(officialCalendarYears());
const at = (date: string, hh: number, mm: number) =>
  `${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000+08:00`;

/** A deterministic pseudo-random sequence (same data every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function departmentOf(i: number, total: number) {
  let edge = 0;
  for (const d of DEPARTMENTS) {
    edge += d.share * total;
    if (i < edge) return d;
  }
  return DEPARTMENTS[DEPARTMENTS.length - 1];
}

/** Working days of October 2026 from the 8th (after the National Day week) to the 19th. */
const RECEIPT_DAYS = [
  '2026-10-08',
  '2026-10-09',
  '2026-10-10',
  '2026-10-12',
  '2026-10-13',
  '2026-10-14',
  '2026-10-15',
  '2026-10-16',
  '2026-10-19',
];
const SEPTEMBER_DAYS = ['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-18'];

export interface CaseSpec {
  caseNo: string;
  open: boolean;
  record: CaseRecord;
}

/** The i-th case of a set; `open` cases are accepted (or in review) with a deadline around today. */
export function makeCase(set: 'month' | 'september' | 'open', i: number, total: number): CaseRecord {
  const r = rng(i * 7919 + (set === 'open' ? 1 : set === 'september' ? 2 : 3));
  const d = departmentOf(i, total);
  const days = set === 'september' ? SEPTEMBER_DAYS : RECEIPT_DAYS;
  const received = days[Math.floor(r() * days.length)];
  const seq = String(i + 1).padStart(6, '0');
  const caseNo = `${d.code}-${received.replaceAll('-', '')}-${set === 'open' ? 'O' : set === 'september' ? 'S' : 'M'}${seq}`;
  const receivedAt = at(received, 9 + Math.floor(r() * 7), Math.floor(r() * 60));
  const acceptedAt = at(received, 16, 30);
  const channel = r() < 17 / 400 ? 'window' : 'online';
  const history: CaseRecord['history'] = [
    { at: receivedAt, actor: 'applicant', role: 'applicant', action: 'submit', from: null, to: 'submitted' },
    { at: acceptedAt, actor: d.staff, role: 'window', action: 'accept', from: 'submitted', to: 'accepted' },
  ];
  const base: CaseRecord = {
    caseNo,
    itemCode: d.item,
    itemName: d.name,
    department: d.code,
    kind: 'committed',
    channel,
    delivery: 'pickup',
    applicant: { name: '张三', idType: 'resident-id', idNumber: '11010519491231002X', phone: '13800001234' },
    phoneHash: `bench-phone-${i % 5000}`,
    idHash: `bench-id-${i % 5000}`,
    status: 'accepted',
    version: 3,
    receivedAt,
    acceptedAt,
    post: d.post,
    assignee: d.staff,
    materials: ['APPLICATION'],
    pauses: [],
    history,
  };
  if (set === 'open') {
    // Committed deadlines from 10-12 (8 working days overdue on 10-20) to 11-27: red, yellow and green.
    const due = calendar.addWorkingDays('2026-10-12', Math.floor((i / total) * 34));
    return {
      ...base,
      status: r() < 0.5 ? 'accepted' : 'in-review',
      version: 2,
      deadlines: { committed: due, statutory: calendar.addWorkingDays(due, 10) },
      history,
    };
  }
  const committed = calendar.addWorkingDays(received, 7);
  const early = r() < 0.9;
  const decidedDate = early ? calendar.addWorkingDays(received, 1 + Math.floor(r() * 5)) : committed;
  const decidedOn = decidedDate > '2026-10-19' && set === 'month' ? '2026-10-19' : decidedDate;
  const deny = r() < 0.06;
  const decidedAt = at(decidedOn, 10, Math.floor(r() * 60));
  const status = deny ? 'denied' : 'approved';
  return {
    ...base,
    status,
    decidedAt,
    deadlines: { committed, statutory: calendar.addWorkingDays(received, 20) },
    decision: {
      outcome: deny ? 'deny' : 'approve',
      reason: deny ? '材料不符合法定条件' : undefined,
      by: d.staff,
      at: decidedAt,
    },
    rating: r() < 0.3 ? { level: r() < 0.97 ? 'satisfied' : 'dissatisfied', source: 'sms', at: decidedAt } : undefined,
    history: [
      ...history,
      { at: decidedAt, actor: d.staff, role: 'window', action: 'decide', from: 'accepted', to: status },
    ],
  };
}

/** The item as CaseRepository writes it. */
export function caseItem(c: CaseRecord): Record<string, unknown> {
  return { ...keys.case(c.caseNo), entity: 'case', ...caseIndexAttributes(c), ...c };
}

export interface MonthData {
  runtime: Runtime;
  loadSeconds: number;
}

let shared: Promise<MonthData> | undefined;

/** The loaded runtime, loading it on first use (with a progress bar on the first benchmark's context). */
export function monthData(ctx: BenchContext): Promise<MonthData> {
  shared ??= (async () => {
    const runtime = await startQuietRuntime({ clockStart: CLOCK });
    const { db, tableName } = runtime.deps;
    const total = MONTH_CASES + SEPTEMBER_CLOSED;
    const bar = ctx.progress(`loading ${total.toLocaleString('en-US')} cases into dynalite (BatchWriteItem)`, total);
    const started = performance.now();
    const closed = MONTH_CASES - OPEN_CASES;
    await batchLoad(
      db,
      tableName,
      (i) =>
        caseItem(
          i < closed
            ? makeCase('month', i, closed)
            : i < MONTH_CASES
              ? makeCase('open', i - closed, OPEN_CASES)
              : makeCase('september', i - MONTH_CASES, SEPTEMBER_CLOSED),
        ),
      total,
      (n) => {
        bar.tick(n);
      },
    );
    bar.done();
    const loadSeconds = (performance.now() - started) / 1000;
    ctx.log(`loaded in ${loadSeconds.toFixed(1)} s (${Math.round(total / loadSeconds)} items/s)`);
    return { runtime, loadSeconds };
  })();
  return shared;
}

export { DEPARTMENTS };
