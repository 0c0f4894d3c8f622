import { addDays } from '../../shared/domain/china-time';
import { ValidationError } from '../../shared/domain/errors';
import { FORMULAS, rates, type Figures } from '../../shared/domain/report-figures';
import {
  computeReport,
  lastTwoMonthsRunning,
  monthPeriod,
  rankWindows,
  ReportAccumulator,
  UNASSIGNED_DEPARTMENT,
  UNASSIGNED_WINDOW,
  validatePeriod,
  windowScore,
  type Period,
  type ReportCase,
  type WindowFigures,
} from '../../shared/domain/reports';

const GENERATED_AT = '2026-11-01T01:00:00.000+08:00';
const OCTOBER: Period = { from: '2026-10-01', to: '2026-10-31' };

/** An instant on a China date, written with +08:00. */
function cn(date: string, time = '09:30'): string {
  return `${date}T${time}:00.000+08:00`;
}

/** The same instant written in UTC, as some clients send it. */
function utc(date: string, time = '09:30'): string {
  return new Date(cn(date, time)).toISOString();
}

let seq = 0;
function aCase(overrides: Partial<ReportCase> = {}): ReportCase {
  seq += 1;
  return {
    caseNo: `C${seq}`,
    department: 'ENV',
    post: 'ENV-01',
    kind: 'committed',
    channel: 'online',
    status: 'submitted',
    receivedAt: cn('2026-10-10'),
    ...overrides,
  };
}

/** A case decided on `decided`, accepted on `accepted`, with its committed deadline. */
function decidedCase(
  outcome: 'approve' | 'deny',
  dates: { received?: string; accepted?: string; decided: string; committed?: string },
  overrides: Partial<ReportCase> = {},
): ReportCase {
  const received = dates.received ?? '2026-10-05';
  return aCase({
    status: outcome === 'approve' ? 'approved' : 'denied',
    receivedAt: cn(received),
    acceptedAt: cn(dates.accepted ?? received, '10:00'),
    decidedAt: cn(dates.decided, '16:00'),
    decision: { outcome },
    deadlines: dates.committed === undefined ? undefined : { committed: dates.committed },
    ...overrides,
  });
}

function report(cases: ReportCase[], period: Period = OCTOBER) {
  return computeReport({ period, generatedAt: GENERATED_AT, cases });
}

/**
 * The Guizhou environment window's published figures (up to 2017-10-27), as case rows:
 * 434 received (417 online, 17 at the window), 399 completed (365 early), 24 not licensed,
 * the other 11 still open.
 */
function guizhouEnvironmentCases(): ReportCase[] {
  const rows: ReportCase[] = [];
  const start = '2017-01-03';
  for (let i = 0; i < 434; i++) {
    // (3i mod 434) runs over 0..433 once, so exactly 417 rows are online, spread across outcomes.
    const channel = (i * 3) % 434 < 417 ? 'online' : 'window';
    // Alternate the way instants are written: +08:00, or UTC.
    const at = i % 2 === 0 ? cn : utc;
    const base = {
      caseNo: `GZ-ENV-${i}`,
      department: 'ENV',
      post: 'ENV-01',
      kind: 'committed' as const,
      channel,
    } as const;
    if (i < 423) {
      const received = addDays(start, i % 280);
      const committed = addDays(received, 10);
      let decided: string;
      let outcome: 'approve' | 'deny';
      if (i < 365) {
        decided = addDays(received, 3); // early
        outcome = 'approve';
      } else if (i < 399) {
        decided = committed; // on the deadline day: on time, not early
        outcome = 'approve';
      } else {
        decided = addDays(received, 5);
        outcome = 'deny';
      }
      rows.push({
        ...base,
        status: outcome === 'approve' ? 'approved' : 'denied',
        receivedAt: at(received, '08:05'),
        acceptedAt: at(received, '11:00'),
        decidedAt: at(decided, '15:00'),
        decision: { outcome },
        deadlines: { committed },
      });
    } else if (i < 433) {
      // Still open at period end, deadline after it.
      const received = addDays('2017-10-20', i - 423 < 5 ? 0 : 3);
      rows.push({
        ...base,
        status: i % 3 === 0 ? 'in-review' : 'accepted',
        receivedAt: at(received, '09:00'),
        acceptedAt: at(received, '09:40'),
        deadlines: { committed: addDays(received, 14) },
      });
    } else {
      // Received in the period, decided after it ended: open at period end.
      rows.push({
        ...base,
        status: 'approved',
        receivedAt: at('2017-10-26', '14:00'),
        acceptedAt: at('2017-10-26', '14:30'),
        decidedAt: at('2017-10-30', '10:00'),
        decision: { outcome: 'approve' },
        deadlines: { committed: '2017-11-09' },
      });
    }
  }
  return rows;
}

describe('Guizhou environment window, up to 2017-10-27 (published figures)', () => {
  const period: Period = { from: '2017-01-01', to: '2017-10-27' };

  it('reports exactly the published counts for the department, the window and the hall', () => {
    // Arrange
    const cases = guizhouEnvironmentCases();

    // Act
    const r = computeReport({
      period,
      generatedAt: '2017-10-28T08:00:00.000+08:00',
      cases,
      services: [{ department: 'ENV', post: 'ENV-01', consultations: 1600, extendedHoursOrAppointments: 58 }],
    });

    // Assert
    const expected = {
      received: 434,
      receivedOnline: 417,
      receivedWindow: 17,
      accepted: 434,
      decided: 423,
      approved: 399,
      completedEarly: 365,
      denied: 24,
      stillOpen: 11,
      onTime: 423,
      overdue: 0,
      consultations: 1600,
      extendedHoursOrAppointments: 58,
    };
    expect(r.departments).toHaveLength(1);
    expect(r.departments[0]).toMatchObject({ department: 'ENV', ...expected });
    expect(r.windows).toHaveLength(1);
    expect(r.windows[0]).toMatchObject({ window: 'ENV-01', departments: ['ENV'], ...expected });
    expect(r.total).toMatchObject(expected);
  });

  it('gives the rates that follow from those counts', () => {
    // Arrange
    const cases = guizhouEnvironmentCases();

    // Act
    const r = report(cases, period);

    // Assert
    const env = r.departments[0];
    expect(env.completionRate).toBeCloseTo(399 / 434, 4);
    expect(env.completionRate).toBe(0.9194);
    expect(env.earlyCompletionRate).toBeCloseTo(365 / 399, 4);
    expect(env.earlyCompletionRate).toBe(0.9148);
    expect(env.onTimeRate).toBe(1);
  });
});

describe('rates from counts', () => {
  it("reproduces Guiyang's first half-year: 99.94% completed, 89.88% instant, 99.51% early", () => {
    // Arrange
    const counts = { received: 654_700, approved: 654_300, instantCompleted: 588_100, completedEarly: 651_100 };

    // Act
    const r = rates(counts);

    // Assert
    expect(r.completionRate).toBe(0.9994);
    expect(r.instantCompletionRate).toBe(0.8988);
    expect(r.earlyCompletionRate).toBe(0.9951);
    expect((r.completionRate! * 100).toFixed(1)).toBe('99.9');
    expect((r.earlyCompletionRate! * 100).toFixed(1)).toBe('99.5');
  });

  it("reproduces Guiyang's 99.99% satisfaction from 35,000 SMS replies", () => {
    // Arrange
    const counts = {
      ratings: { 'very-satisfied': 30_000, satisfied: 4_000, 'fairly-satisfied': 997, dissatisfied: 3 },
    };

    // Act
    const r = rates(counts);

    // Assert
    expect(r.satisfactionRate).toBe(0.9999);
  });

  it('gives null, never NaN, for every rate whose denominator is zero', () => {
    // Arrange
    const counts = {};

    // Act
    const r = rates(counts);

    // Assert
    expect(Object.values(r)).toEqual(Array(8).fill(null));
  });

  it('rounds rates to 4 decimals', () => {
    // Arrange
    const counts = { received: 3, approved: 2 };

    // Act
    const r = rates(counts);

    // Assert
    expect(r.completionRate).toBe(0.6667);
  });
});

describe('which cases count in a period', () => {
  it('ignores cases received and decided outside the period, by China date', () => {
    // Arrange: 23:59 on 30 September and 00:00 on 1 November in China are outside October,
    // even when written in UTC (where the first falls on 30 September, the second on 31 October).
    const cases = [
      decidedCase('approve', { received: '2026-09-01', decided: '2026-09-30', committed: '2026-09-30' }),
      aCase({ status: 'withdrawn', receivedAt: utc('2026-09-30', '23:59') }),
      aCase({ status: 'withdrawn', receivedAt: utc('2026-11-01', '00:00') }),
      aCase({ status: 'submitted', receivedAt: cn('2026-11-02') }),
    ];

    // Act
    const r = report(cases);

    // Assert
    expect(r.total).toMatchObject({ received: 0, accepted: 0, decided: 0, stillOpen: 0, overdue: 0 });
    expect(r.departments).toEqual([]);
    expect(r.windows).toEqual([]);
  });

  it('counts a case received at 00:00 on the first day and one at 23:59 on the last day', () => {
    // Arrange
    const cases = [
      aCase({ channel: 'window', receivedAt: utc('2026-10-01', '00:00') }),
      aCase({ channel: 'online', receivedAt: cn('2026-10-31', '23:59') }),
    ];

    // Act
    const r = report(cases);

    // Assert
    expect(r.total).toMatchObject({ received: 2, receivedOnline: 1, receivedWindow: 1 });
  });

  it('counts a decision in the period for a case received before it', () => {
    // Arrange
    const c = decidedCase('approve', {
      received: '2026-09-25',
      accepted: '2026-09-26',
      decided: '2026-10-09',
      committed: '2026-10-16',
    });

    // Act
    const r = report([c]);

    // Assert
    expect(r.total).toMatchObject({ received: 0, accepted: 0, decided: 1, approved: 1, completedEarly: 1, onTime: 1 });
  });

  it('classifies decisions as early, on time on the deadline day, or late', () => {
    // Arrange
    const cases = [
      decidedCase('approve', { decided: '2026-10-15', committed: '2026-10-16' }),
      decidedCase('approve', { decided: '2026-10-16', committed: '2026-10-16' }),
      decidedCase('approve', { decided: '2026-10-19', committed: '2026-10-16' }),
      decidedCase('deny', { decided: '2026-10-10', committed: '2026-10-16' }),
      decidedCase('deny', { decided: '2026-10-20', committed: '2026-10-16' }),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t).toMatchObject({
      decided: 5,
      approved: 3,
      denied: 2,
      completedEarly: 1,
      onTime: 3,
      decidedLate: 2,
      overdue: 2,
    });
    expect(t.onTime + t.decidedLate).toBe(t.decided);
    expect(t.onTimeRate).toBe(0.6);
    expect(t.earlyCompletionRate).toBe(0.3333);
  });

  it('counts a decided case with no committed deadline as on time but not early', () => {
    // Arrange
    const c = decidedCase('approve', { decided: '2026-10-05' });

    // Act
    const t = report([c]).total;

    // Assert
    expect(t).toMatchObject({ decided: 1, onTime: 1, decidedLate: 0, completedEarly: 0 });
  });

  it('counts instant completion as accepted and approved the same day, whatever the item kind', () => {
    // Arrange
    const cases = [
      decidedCase(
        'approve',
        { received: '2026-10-05', accepted: '2026-10-06', decided: '2026-10-06', committed: '2026-10-20' },
        { kind: 'committed' },
      ),
      decidedCase(
        'approve',
        { received: '2026-10-07', accepted: '2026-10-07', decided: '2026-10-07', committed: '2026-10-07' },
        { kind: 'instant' },
      ),
      decidedCase(
        'approve',
        { received: '2026-10-08', accepted: '2026-10-08', decided: '2026-10-09', committed: '2026-10-08' },
        { kind: 'instant' },
      ),
      decidedCase('deny', {
        received: '2026-10-12',
        accepted: '2026-10-12',
        decided: '2026-10-12',
        committed: '2026-10-20',
      }),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t.instantCompleted).toBe(2);
    expect(t.sameDay).toBe(1);
    expect(t.instantCompletionRate).toBe(0.6667);
    expect(t.sameDayRate).toBe(0.3333);
  });

  it('uses the China date for same-day: accepted 23:30 and decided 00:30 the next morning is not same-day', () => {
    // Arrange
    const c = aCase({
      status: 'approved',
      receivedAt: utc('2026-10-05', '23:00'),
      acceptedAt: utc('2026-10-05', '23:30'),
      decidedAt: utc('2026-10-06', '00:30'),
      decision: { outcome: 'approve' },
      deadlines: { committed: '2026-10-10' },
    });

    // Act
    const t = report([c]).total;

    // Assert
    expect(t).toMatchObject({ approved: 1, instantCompleted: 0, sameDay: 0 });
  });

  it('counts as still open the cases received by period end and not decided by then', () => {
    // Arrange
    const cases = [
      aCase({
        status: 'in-review',
        receivedAt: cn('2026-09-10'),
        acceptedAt: cn('2026-09-10'),
        deadlines: { committed: '2026-11-20' },
      }),
      aCase({ status: 'submitted', receivedAt: cn('2026-10-30') }),
      decidedCase('approve', { received: '2026-10-20', decided: '2026-11-02', committed: '2026-11-05' }),
      aCase({ status: 'withdrawn', receivedAt: cn('2026-10-12') }),
      decidedCase('deny', { received: '2026-10-20', decided: '2026-10-28', committed: '2026-11-05' }),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t.stillOpen).toBe(3);
    expect(t.openOverdue).toBe(0);
  });

  it('counts an open case past its deadline at period end as overdue, unless it now waits on the applicant', () => {
    // Arrange
    const cases = [
      aCase({
        status: 'in-review',
        receivedAt: cn('2026-10-01'),
        acceptedAt: cn('2026-10-01'),
        deadlines: { committed: '2026-10-31' },
      }),
      aCase({
        status: 'in-review',
        receivedAt: cn('2026-10-01'),
        acceptedAt: cn('2026-10-01'),
        deadlines: { committed: '2026-11-02' },
      }),
      aCase({
        status: 'supplement-required',
        receivedAt: cn('2026-09-01'),
        acceptedAt: cn('2026-09-01'),
        deadlines: { committed: '2026-09-20' },
      }),
      decidedCase('approve', { received: '2026-09-01', decided: '2026-11-03', committed: '2026-10-09' }),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t).toMatchObject({ stillOpen: 4, openOverdue: 2, decidedLate: 0, overdue: 2 });
  });
});

describe('ratings', () => {
  it('counts applicant ratings in the satisfaction rate and shows default ratings apart', () => {
    // Arrange
    const decided = { decided: '2026-10-10', committed: '2026-10-20' };
    const cases = [
      decidedCase('approve', decided, { rating: { level: 'very-satisfied', source: 'sms', at: cn('2026-10-11') } }),
      decidedCase('approve', decided, {
        rating: { level: 'fairly-satisfied', source: 'online', at: cn('2026-10-11') },
      }),
      decidedCase('approve', decided, { rating: { level: 'dissatisfied', source: 'window', at: cn('2026-10-12') } }),
      decidedCase('approve', decided, { rating: { level: 'very-dissatisfied', source: 'sms', at: cn('2026-10-12') } }),
      decidedCase('approve', decided, {
        rating: { level: 'fairly-satisfied', source: 'default', at: cn('2026-10-18') },
      }),
      decidedCase('approve', decided, {
        rating: { level: 'fairly-satisfied', source: 'default', at: cn('2026-10-18') },
      }),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t.ratings).toEqual({
      'very-satisfied': 1,
      satisfied: 0,
      'fairly-satisfied': 1,
      dissatisfied: 1,
      'very-dissatisfied': 1,
      default: 2,
    });
    expect(t.rated).toBe(4);
    expect(t.badRatings).toBe(2);
    expect(t.satisfactionRate).toBe(0.5);
  });

  it('leaves out a bad rating a supervisor voided as malicious', () => {
    // Arrange
    const decided = { decided: '2026-10-10', committed: '2026-10-20' };
    const cases = [
      decidedCase('approve', decided, { rating: { level: 'satisfied', source: 'sms', at: cn('2026-10-11') } }),
      decidedCase('approve', decided, {
        rating: { level: 'very-dissatisfied', source: 'sms', at: cn('2026-10-12'), voided: true },
      }),
    ];
    // Act
    const t = report(cases).total;
    // Assert
    expect(t.rated).toBe(1);
    expect(t.badRatings).toBe(0);
    expect(t.satisfactionRate).toBe(1);
  });

  it('places a rating in the period it was given, not the one the case was decided in', () => {
    // Arrange
    const cases = [
      decidedCase(
        'approve',
        { received: '2026-09-20', decided: '2026-09-29' },
        { rating: { level: 'satisfied', source: 'sms', at: cn('2026-10-02') } },
      ),
      decidedCase(
        'approve',
        { decided: '2026-10-30' },
        { rating: { level: 'dissatisfied', source: 'sms', at: cn('2026-11-01') } },
      ),
    ];

    // Act
    const t = report(cases).total;

    // Assert
    expect(t.ratings.satisfied).toBe(1);
    expect(t.ratings.dissatisfied).toBe(0);
    expect(t.decided).toBe(1);
  });

  it('places a rating without a date with the decision of its case', () => {
    // Arrange
    const c = decidedCase('approve', { decided: '2026-10-30' }, { rating: { level: 'satisfied', source: 'sms' } });

    // Act
    const t = report([c]).total;

    // Assert
    expect(t.ratings.satisfied).toBe(1);
  });
});

describe('complaints, follow-ups and counts from elsewhere', () => {
  it('counts bad-rating follow-ups due in the period and those closed on or before their due date, never voided ones', () => {
    // Arrange
    const followUps = [
      {
        department: 'ENV',
        post: 'ENV-01',
        openedAt: cn('2026-10-02'),
        closedAt: cn('2026-10-09'),
        due: '2026-10-09',
        state: 'closed',
      },
      {
        department: 'ENV',
        post: 'ENV-01',
        openedAt: cn('2026-10-02'),
        closedAt: cn('2026-10-12'),
        due: '2026-10-09',
        state: 'closed',
      },
      { department: 'ENV', post: 'ENV-01', openedAt: cn('2026-10-20'), due: '2026-10-27', state: 'open' },
      { department: 'ENV', post: 'ENV-01', openedAt: cn('2026-10-28'), due: '2026-11-04', state: 'open' },
      {
        department: 'ENV',
        post: 'ENV-01',
        openedAt: cn('2026-09-25'),
        closedAt: cn('2026-10-01'),
        due: '2026-10-02',
        state: 'closed',
      },
      { department: 'ENV', post: 'ENV-01', openedAt: cn('2026-10-02'), due: '2026-10-09', state: 'voided' },
    ];

    // Act
    const r = computeReport({ period: OCTOBER, generatedAt: GENERATED_AT, cases: [], followUps });

    // Assert
    expect(r.total).toMatchObject({
      followUps: 4,
      followUpsDue: 4,
      followUpsClosedOnTime: 2,
      badRatingRectificationRate: 0.5,
    });
    expect(r.windows[0]).toMatchObject({ window: 'ENV-01', followUpsClosedOnTime: 2 });
  });

  it('counts complaints received, due, and answered by their due date', () => {
    // Arrange
    const complaints = [
      { department: 'CIV', receivedAt: cn('2026-10-03'), answeredAt: cn('2026-10-08'), due: '2026-10-10' },
      { department: 'CIV', receivedAt: cn('2026-10-03'), answeredAt: cn('2026-10-13'), due: '2026-10-10' },
      { department: 'CIV', receivedAt: cn('2026-10-29'), due: '2026-11-05' },
    ];

    // Act
    const r = computeReport({ period: OCTOBER, generatedAt: GENERATED_AT, cases: [], complaints });

    // Assert
    expect(r.departments[0]).toMatchObject({
      department: 'CIV',
      complaints: 3,
      complaintsDue: 2,
      complaintsAnsweredOnTime: 1,
      complaintsAnsweredOnTimeRate: 0.5,
    });
    expect(r.windows[0].window).toBe(UNASSIGNED_WINDOW);
  });

  it('counts a complaint that names no department for the department handling it, else as unassigned, listed last', () => {
    // Arrange
    const complaints = [
      { handlingDepartment: 'WATER', receivedAt: cn('2026-10-03'), due: '2026-10-10' },
      { receivedAt: cn('2026-10-04'), due: '2026-10-11' },
    ];

    // Act
    const r = computeReport({ period: OCTOBER, generatedAt: GENERATED_AT, cases: [], complaints });

    // Assert
    expect(r.departments.map((d) => [d.department, d.complaints])).toEqual([
      ['WATER', 1],
      [UNASSIGNED_DEPARTMENT, 1],
    ]);
  });

  it('adds inquiries, handovers, consultations and extended-hours services to the department, window and total', () => {
    // Arrange
    const services = [
      {
        department: 'ENV',
        post: 'ENV-01',
        inquiries: 12,
        handovers: 2,
        consultations: 40,
        extendedHoursOrAppointments: 3,
      },
      { department: 'ENV', post: 'ENV-02', inquiries: 5 },
      { department: 'CIV', post: 'CIV-01', handovers: 1 },
    ];

    // Act
    const r = computeReport({ period: OCTOBER, generatedAt: GENERATED_AT, cases: [], services });

    // Assert
    expect(r.total).toMatchObject({ inquiries: 17, handovers: 3, consultations: 40, extendedHoursOrAppointments: 3 });
    expect(r.departments.map((d) => [d.department, d.inquiries])).toEqual([
      ['CIV', 0],
      ['ENV', 17],
    ]);
    expect(r.windows.find((w) => w.window === 'ENV-02')!.inquiries).toBe(5);
  });
});

describe('report shape', () => {
  it('splits figures per department and per window, with cases without a post under "unassigned", listed last', () => {
    // Arrange
    const cases = [
      aCase({ department: 'ENV', post: 'W-02' }),
      aCase({ department: 'CIV', post: 'W-01' }),
      aCase({ department: 'ENV', post: 'W-01' }),
      aCase({ department: 'WATER', post: undefined }),
    ];

    // Act
    const r = report(cases);

    // Assert
    expect(r.departments.map((d) => [d.department, d.received])).toEqual([
      ['CIV', 1],
      ['ENV', 2],
      ['WATER', 1],
    ]);
    expect(r.windows.map((w) => [w.window, w.received, w.departments])).toEqual([
      ['W-01', 2, ['CIV', 'ENV']],
      ['W-02', 1, ['ENV']],
      [UNASSIGNED_WINDOW, 1, ['WATER']],
    ]);
    expect(r.total.received).toBe(4);
  });

  it('states the period, with its month when it is a whole calendar month, and the given generatedAt', () => {
    // Arrange
    const period = monthPeriod('2026-10');

    // Act
    const whole = report([], period);
    const part = report([], { from: '2026-10-01', to: '2026-10-15' });

    // Assert
    expect(whole.period).toEqual({ from: '2026-10-01', to: '2026-10-31', month: '2026-10' });
    expect(whole.generatedAt).toBe(GENERATED_AT);
    expect(part.period).toEqual({ from: '2026-10-01', to: '2026-10-15' });
  });

  it('gives the same report fed page by page to the accumulator as in one call', () => {
    // Arrange
    const cases = guizhouEnvironmentCases();
    const period = { from: '2017-01-01', to: '2017-10-27' };
    const acc = new ReportAccumulator(period);

    // Act
    for (let i = 0; i < cases.length; i += 100) acc.addAll(cases.slice(i, i + 100));
    const paged = acc.result({ generatedAt: GENERATED_AT });

    // Assert
    expect(paged).toEqual(report(cases, period));
  });

  it('keeps every sum equal to its parts, in every department, window and the total', () => {
    // Arrange: the Guizhou cases, some overdue, with ratings at every level and a default one
    const levels = ['very-satisfied', 'satisfied', 'fairly-satisfied', 'dissatisfied', 'very-dissatisfied'] as const;
    const cases = guizhouEnvironmentCases().map((c, i) => ({
      ...c,
      post: i % 3 === 0 ? 'ENV-02' : c.post,
      deadlines: i % 7 === 0 ? { committed: '2017-02-01' } : c.deadlines,
      rating:
        c.decidedAt && i % 2 === 0 ? { level: levels[i % 5], source: i % 9 === 0 ? 'default' : 'sms' } : undefined,
    })) as ReportCase[];

    // Act
    const r = report(cases, { from: '2017-01-01', to: '2017-10-27' });

    // Assert
    for (const f of [r.total, ...r.departments, ...r.windows]) {
      const ratings = f.ratings;
      expect(f.received).toBe(f.receivedOnline + f.receivedWindow);
      expect(f.decided).toBe(f.approved + f.denied);
      expect(f.decided).toBe(f.onTime + f.decidedLate);
      expect(f.overdue).toBe(f.decidedLate + f.openOverdue);
      expect(f.rated).toBe(levels.reduce((n, l) => n + ratings[l], 0));
      expect(f.badRatings).toBe(ratings.dissatisfied + ratings['very-dissatisfied']);
    }
    expect(r.total.overdue).toBeGreaterThan(0);
    expect(r.total.ratings.default).toBeGreaterThan(0);
    expect(r.total.badRatings).toBeGreaterThan(0);
  });

  it('publishes a formula, a Chinese name and an English name for every figure', () => {
    // Arrange
    const figures: Figures = report([aCase()]).total;
    const keys = Object.entries(figures).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? Object.keys(v).map((sub) => `${k}.${sub}`) : [k],
    );

    // Act
    const documented = new Set<string>(FORMULAS.map((f) => f.key));

    // Assert
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !keys.includes(k))).toEqual([]);
    expect(FORMULAS.filter((f) => !f.zh || !f.en || !f.formula)).toEqual([]);
    expect(FORMULAS.find((f) => f.key === 'completionRate')).toMatchObject({
      zh: '办结率',
      formula: 'approved ÷ received',
    });
  });
});

describe('periods', () => {
  it('turns a month into its first and last day, leap Februaries included', () => {
    // Arrange / Act
    const october = monthPeriod('2026-10');
    const february = monthPeriod('2028-02');

    // Assert
    expect(october).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(february).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('refuses a month that is not YYYY-MM', () => {
    // Arrange / Act / Assert
    expect(() => monthPeriod('2026-13')).toThrow(ValidationError);
    expect(() => monthPeriod('2026-1')).toThrow(/YYYY-MM/);
  });

  it('refuses a period that ends before it starts, or dates that do not exist', () => {
    // Arrange / Act / Assert
    expect(() => validatePeriod({ from: '2026-10-31', to: '2026-10-01' })).toThrow(
      /period.to: must be on or after 2026-10-31/,
    );
    expect(() => new ReportAccumulator({ from: '2026-02-30', to: '2026-03-01' })).toThrow(/period.from/);
  });
});

// ---------------------------------------------------------------------------------------

function windowFigures(window: string, cases: ReportCase[]): WindowFigures {
  const r = report(cases.map((c) => ({ ...c, post: window })));
  return r.windows[0];
}

/** A window that only logged inquiries in the period. */
function windowWithoutCases(window: string): WindowFigures {
  const r = computeReport({
    period: OCTOBER,
    generatedAt: GENERATED_AT,
    cases: [],
    services: [{ department: 'ENV', post: window, inquiries: 4 }],
  });
  return r.windows[0];
}

describe('ranking of windows', () => {
  const good = { decided: '2026-10-10', committed: '2026-10-20' };
  const late = { decided: '2026-10-25', committed: '2026-10-20' };

  it('ranks by score, marks the top ones red-flag windows, and leaves windows with no case unranked', () => {
    // Arrange
    const windows = [
      windowFigures('W-A', [decidedCase('approve', good, { receivedAt: cn('2026-10-02') })]),
      windowFigures('W-B', [decidedCase('approve', late, { receivedAt: cn('2026-10-02') })]),
      windowFigures('W-C', [
        decidedCase('approve', good, {
          receivedAt: cn('2026-10-02'),
          rating: { level: 'very-dissatisfied', source: 'sms', at: cn('2026-10-11') },
        }),
      ]),
      windowWithoutCases('W-D'),
    ];

    // Act
    const ranking = rankWindows(windows, { redFlagCount: 1 });

    // Assert
    expect(ranking.ranked.map((w) => [w.window, w.rank])).toEqual([
      ['W-A', 1],
      ['W-C', 2],
      ['W-B', 3],
    ]);
    expect(ranking.redFlags).toEqual(['W-A']);
    expect(ranking.last).toEqual(['W-B']);
    expect(ranking.unranked).toEqual(['W-D']);
  });

  it('scores from exact counts: on time 40%, satisfaction 30%, completion 30%, minus 20 × the overdue share', () => {
    // Arrange: 4 decided (3 on time, 1 late), 2 good ratings of 4, 5 received, 1 open not overdue.
    const w = windowFigures('W-A', [
      decidedCase('approve', good, { rating: { level: 'satisfied', source: 'sms', at: cn('2026-10-11') } }),
      decidedCase('approve', good, { rating: { level: 'satisfied', source: 'sms', at: cn('2026-10-11') } }),
      decidedCase('approve', good, { rating: { level: 'dissatisfied', source: 'sms', at: cn('2026-10-11') } }),
      decidedCase('deny', late, { rating: { level: 'dissatisfied', source: 'sms', at: cn('2026-10-26') } }),
      aCase({ status: 'in-review', deadlines: { committed: '2026-11-20' } }),
    ]);

    // Act
    const score = windowScore(w);

    // Assert: 100 × (0.4 × 0.75 + 0.3 × 0.5 + 0.3 × 0.6) − 20 × 1/5 = 63 − 4
    expect(score).toBe(59);
  });

  it('leaves a missing rate out of the score instead of counting it as zero', () => {
    // Arrange: no ratings at all
    const w = windowFigures('W-A', [decidedCase('approve', good)]);

    // Act
    const score = windowScore(w);

    // Assert
    expect(score).toBe(100);
  });

  it('never ranks the unassigned bucket', () => {
    // Arrange
    const r = report([
      decidedCase('approve', good, { post: undefined }),
      decidedCase('approve', good, { post: 'W-A' }),
    ]);

    // Act
    const ranking = r.ranking;

    // Assert
    expect(ranking.ranked.map((w) => w.window)).toEqual(['W-A']);
    expect(ranking.unranked).toEqual([UNASSIGNED_WINDOW]);
    expect(ranking.last).toEqual([]);
  });

  it('names every window tied at the bottom as last, and none of them a red-flag window', () => {
    // Arrange
    const windows = ['W-A', 'W-B', 'W-C'].map((w) =>
      windowFigures(w, [decidedCase('approve', late, { receivedAt: cn('2026-10-02') })]),
    );

    // Act
    const ranking = rankWindows(windows);

    // Assert
    expect(ranking.last).toEqual(['W-A', 'W-B', 'W-C']);
    expect(ranking.redFlags).toEqual([]);
  });

  it('names the windows last two months running', () => {
    // Arrange
    const september = { last: ['W-B', 'W-C'] };
    const october = { last: ['W-C'] };

    // Act
    const both = lastTwoMonthsRunning(september, october);

    // Assert
    expect(both).toEqual(['W-C']);
    expect(lastTwoMonthsRunning({ last: ['W-A'] }, october)).toEqual([]);
  });

  it('notes in the report the window last two months running when last month is given', () => {
    // Arrange
    const cases = [decidedCase('approve', good, { post: 'W-A' }), decidedCase('approve', late, { post: 'W-B' })];

    // Act
    const r = computeReport({ period: OCTOBER, generatedAt: GENERATED_AT, cases, previousRanking: { last: ['W-B'] } });

    // Assert
    expect(r.ranking.last).toEqual(['W-B']);
    expect(r.ranking.lastTwoMonthsRunning).toEqual(['W-B']);
  });
});
