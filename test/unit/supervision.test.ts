import { WorkingCalendar } from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { StaffDirectory, responsibleStaff } from '../../shared/domain/staff';
import {
  DEFAULT_SUPERVISION_SETTINGS,
  assess,
  cardRecipients,
  givenLimit,
  largestYellowThreshold,
  supervisionSettings,
  sweepBound,
  warningEntry,
  warningToRecord,
  warningCard,
} from '../../shared/domain/supervision';

const calendar = new WorkingCalendar(officialCalendarYears());
const settings = DEFAULT_SUPERVISION_SETTINGS;
const SEVEN = { value: 7, unit: 'working-days' as const };
const FORTY = { value: 40, unit: 'working-days' as const };

describe('the colour of something due', () => {
  it('is green above the threshold, yellow at 2 working days left, red once the day has passed', () => {
    // Arrange: due Wednesday 2026-10-21 (7 working days: threshold max(2, ceil(1.4)) = 2)
    const due = '2026-10-21';
    // Act
    const green = assess(due, SEVEN, '2026-10-16', calendar, settings);
    const yellow = assess(due, SEVEN, '2026-10-19', calendar, settings);
    const onTheDay = assess(due, SEVEN, '2026-10-21', calendar, settings);
    const red = assess(due, SEVEN, '2026-10-23', calendar, settings);
    // Assert
    expect([green.colour, green.workingDaysLeft]).toEqual(['green', 3]);
    expect([yellow.colour, yellow.workingDaysLeft]).toEqual(['yellow', 2]);
    expect([onTheDay.colour, onTheDay.daysOverdue]).toEqual(['yellow', 0]);
    expect([red.colour, red.workingDaysLeft, red.daysOverdue]).toEqual(['red', -2, 2]);
  });

  it('turns yellow at 20% of a long limit when that is more than the setting days', () => {
    // Act
    const a = assess('2026-11-30', FORTY, '2026-11-20', calendar, settings);
    // Assert: 40 working days → threshold 8; 6 working days left
    expect(a.threshold).toBe(8);
    expect(a.colour).toBe('yellow');
  });

  it('counts a weekend after a Friday deadline as 1 working day overdue, not due today', () => {
    // Act
    const a = assess('2026-10-16', SEVEN, '2026-10-17', calendar, settings);
    // Assert
    expect([a.colour, a.daysOverdue]).toEqual(['red', 1]);
  });

  it('follows the hall settings', () => {
    // Arrange
    const strict = supervisionSettings({ yellowDays: 4 });
    // Act
    const a = assess('2026-10-21', SEVEN, '2026-10-16', calendar, strict);
    // Assert
    expect(a.colour).toBe('yellow');
    expect(() => supervisionSettings({ yellowFraction: 2 })).toThrow(/yellowFraction/);
  });
});

describe('how far the sweep looks ahead', () => {
  it('derives the largest threshold from the longest limit in the catalog', () => {
    // Arrange: the longest limit in the demo catalog is 60 days → ceil(0.2 × 60) = 12
    // Act
    const t = largestYellowThreshold(loadDefaultCatalog(), settings);
    // Assert
    expect(t).toBe(12);
  });

  it('bounds the due dates read so that everything before the bound is within the threshold and the bound itself is not', () => {
    // Arrange: National Day week 2026-10-01..07 is off
    const today = '2026-09-29';
    // Act
    const bound = sweepBound(calendar, today, 2);
    // Assert: working days after 09-29: 09-30 (1), 10-08 (2), 10-09 (3)
    expect(bound).toBe('2026-10-09');
    expect(calendar.workingDaysBetween(today, '2026-10-08')).toBe(2);
    expect(calendar.workingDaysBetween(today, bound)).toBe(3);
  });
});

describe('warnings once per colour', () => {
  it('records a colour only the first time it is seen, and never green', () => {
    expect(warningToRecord('yellow', undefined)).toBe('yellow');
    expect(warningToRecord('yellow', { yellow: '2026-10-19T09:00:00.000+08:00' })).toBeUndefined();
    expect(warningToRecord('red', { yellow: '2026-10-19T09:00:00.000+08:00' })).toBe('red');
    expect(warningToRecord('green', undefined)).toBeUndefined();
  });

  it('leaves a history entry by the system that keeps the status and names the deadline', () => {
    // Act
    const e = warningEntry('red', '2026-10-22T00:15:00.000+08:00', '2026-10-21', 'accepted');
    // Assert
    expect(e).toEqual(
      expect.objectContaining({
        actor: 'supervision-sweep',
        role: 'system',
        action: 'warn-red',
        from: 'accepted',
        to: 'accepted',
      }),
    );
    expect(e.note).toContain('2026-10-21');
  });

  it('gives a task the working days from its opening to its due date as its limit', () => {
    expect(givenLimit('2026-10-12T10:00:00.000+08:00', '2026-10-21', calendar)).toEqual({
      value: 7,
      unit: 'working-days',
    });
  });
});

describe('who gets the card', () => {
  const catalog = loadDefaultCatalog();

  it("is the assignee, else the A person of the post, else of the department's first post", () => {
    expect(responsibleStaff({ assignee: 'env-b1', post: 'ENV-01', department: 'ENV' }, catalog)).toBe('env-b1');
    expect(responsibleStaff({ post: 'ENV-02', department: 'ENV' }, catalog)).toBe('env-a2');
    expect(responsibleStaff({ department: 'CIVIL' }, catalog)).toBe('civil-a1');
  });

  it('refuses a directory with a number that is not a mainland mobile', () => {
    expect(() => StaffDirectory.fromData({ phones: { 'env-a1': '12345' } })).toThrow(/env-a1/);
    expect(StaffDirectory.fromData({ phones: { 'env-a1': '13800000001' } }).phoneOf('env-a1')).toBe('13800000001');
  });
});

describe('who gets a card, and what it says it is about', () => {
  const catalog = loadDefaultCatalog();

  it('sends the card of a complaint no department has to every supervisor, under SUP', () => {
    // Act
    const unrouted = cardRecipients({ kind: 'complaint' }, catalog, ['sup-1', 'sup-2']);
    const named = cardRecipients({ kind: 'complaint', department: 'ENV' }, catalog, ['sup-1', 'sup-2']);
    // Assert
    expect(unrouted).toEqual({ department: 'SUP', staffIds: ['sup-1', 'sup-2'] });
    expect(named).toEqual({ department: 'ENV', staffIds: ['env-a1'] });
  });

  it('names the subject and, for the supervisors, asks them to route the complaint', () => {
    // Act
    const office = warningCard(
      { ref: 'TS-1', itemKind: 'complaint', colour: 'red', due: '2026-12-01', department: 'SUP', staffId: 'sup-1' },
      catalog,
    );
    const followUp = warningCard(
      { ref: 'FU-X', itemKind: 'followup', colour: 'red', due: '2026-12-01', department: 'ENV', staffId: 'env-a1' },
      catalog,
    );
    // Assert
    expect(office).toEqual(expect.objectContaining({ about: 'complaint', unrouted: true, department: '电子监察室' }));
    expect(followUp).toEqual(expect.objectContaining({ about: 'followup', unrouted: false, department: '环境保护局' }));
  });

  it('reads the supervisors from the staff directory, and none when it lists none', () => {
    // Act
    const listed = StaffDirectory.fromData({ phones: { 'sup-1': '13800000031' }, supervisors: ['sup-1', 'sup-1'] });
    const none = StaffDirectory.fromData({ phones: {} });
    // Assert
    expect(listed.supervisors()).toEqual(['sup-1']);
    expect(none.supervisors()).toEqual([]);
  });
});
