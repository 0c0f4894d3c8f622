import { monthsBetween, nextMonth, previousMonth, reportRow, touchedMonths } from '../../shared/domain/report-months';
import type { ReportCase } from '../../shared/domain/reports';

const cn = (date: string, time = '09:30') => `${date}T${time}:00.000+08:00`;

function aCase(overrides: Partial<ReportCase>): ReportCase {
  return {
    caseNo: 'ENV-20261012-0001',
    department: 'ENV',
    post: 'ENV-01',
    kind: 'committed',
    channel: 'online',
    status: 'accepted',
    receivedAt: cn('2026-10-12'),
    ...overrides,
  };
}

describe('the months a case counts in besides its month of receipt', () => {
  it('is none for a case received, accepted, decided and rated in one month', () => {
    // Arrange
    const c = aCase({
      status: 'approved',
      acceptedAt: cn('2026-10-12'),
      decidedAt: cn('2026-10-20'),
      rating: { level: 'satisfied', source: 'sms', at: cn('2026-10-21') },
    });
    // Act
    const months = touchedMonths(c);
    // Assert
    expect(months).toEqual([]);
  });

  it('is every month from the one after receipt to the decision, so a later report of a month in between finds it open', () => {
    // Arrange
    const c = aCase({ status: 'denied', acceptedAt: cn('2026-10-30'), decidedAt: cn('2027-01-05') });
    // Act
    const months = touchedMonths(c);
    // Assert
    expect(months).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('adds the month of acceptance and the month of the rating', () => {
    // Arrange
    const c = aCase({
      status: 'approved',
      receivedAt: cn('2026-09-30'),
      acceptedAt: cn('2026-10-08'),
      decidedAt: cn('2026-10-20'),
      rating: { level: 'dissatisfied', source: 'online', at: cn('2026-12-01') },
    });
    // Act
    const months = touchedMonths(c);
    // Assert
    expect(months).toEqual(['2026-10', '2026-12']);
  });

  it('counts an instant written in UTC by its China month', () => {
    // Arrange: 2026-10-31T17:00Z is 2026-11-01 01:00 in China
    const c = aCase({ status: 'approved', acceptedAt: cn('2026-10-12'), decidedAt: '2026-10-31T17:00:00.000Z' });
    // Act
    const months = touchedMonths(c);
    // Assert
    expect(months).toEqual(['2026-11']);
  });

  it('leaves an open case to the open-by-deadline index except for its month of acceptance', () => {
    // Arrange
    const c = aCase({ status: 'in-review', receivedAt: cn('2026-10-30'), acceptedAt: cn('2026-11-02') });
    // Act
    const months = touchedMonths(c);
    // Assert
    expect(months).toEqual(['2026-11']);
  });
});

describe('month arithmetic', () => {
  it('steps over the turn of the year both ways and lists a range inclusively', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11', '2026-10')).toEqual([]);
  });
});

describe('the report projection of a case', () => {
  it('keeps only what the report reads', () => {
    // Arrange
    const full = {
      ...aCase({ status: 'approved', acceptedAt: cn('2026-10-12'), decidedAt: cn('2026-10-13') }),
      decision: { outcome: 'approve' as const, by: 'env-a1', at: cn('2026-10-13'), reason: 'ok' },
      deadlines: { committed: '2026-10-21', statutory: '2026-11-11' },
      applicant: { name: '张三', phone: '13800001234' },
    };
    // Act
    const row = reportRow(full);
    // Assert
    expect(row.decision).toEqual({ outcome: 'approve' });
    expect(row.deadlines).toEqual({ committed: '2026-10-21' });
    expect(JSON.stringify(row)).not.toContain('13800001234');
  });
});
