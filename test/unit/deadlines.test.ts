import { Pause } from '../../shared/domain/case';
import { WorkingCalendar } from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import {
  DeadlineInput,
  TimeLimit,
  art32DeemedAcceptance,
  computeDeadlines,
  deadlineColour,
  yellowThreshold,
} from '../../shared/domain/deadlines';

const calendar = new WorkingCalendar(officialCalendarYears());
const wd = (value: number): TimeLimit => ({ value, unit: 'working-days' });
const days = (value: number): TimeLimit => ({ value, unit: 'calendar-days' });
const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;
const on = (date: string, time = '15:00:00') => new Date(at(date, time));

function input(over: Partial<DeadlineInput>): DeadlineInput {
  return {
    acceptedAt: at('2026-11-02'),
    committedLimit: wd(10),
    statutoryLimit: wd(20),
    pauses: [],
    calendar,
    now: on('2026-11-02'),
    ...over,
  };
}

describe('computeDeadlines: limits on the official calendar', () => {
  it('ends ten working days after acceptance on 2026-09-28 on 2026-10-16', () => {
    // Arrange
    const args = input({
      acceptedAt: at('2026-09-28'),
      committedLimit: wd(10),
      statutoryLimit: wd(20),
      now: on('2026-09-28'),
    });
    // Act
    const result = computeDeadlines(args);
    // Assert: 20 working days: 29, 30 Sep; 8–10, 12–16, 19–23, 26–30 Oct
    expect(result.committed).toBe('2026-10-16');
    expect(result.statutory).toBe('2026-10-30');
    expect(result.workingDaysLeft).toBe(10);
    expect(result.calendarIncomplete).toBe(false);
  });

  it('counts 5 working days for a case accepted on Friday 2026-09-25, the Mid-Autumn holiday, to 2026-10-09', () => {
    const result = computeDeadlines(
      input({ acceptedAt: at('2026-09-25'), committedLimit: wd(5), now: on('2026-09-25') }),
    );
    expect(result.committed).toBe('2026-10-09');
  });

  it('takes the acceptance date in China time, not UTC', () => {
    // 2026-09-27T17:30Z is 01:30 on 2026-09-28 in China
    const result = computeDeadlines(
      input({ acceptedAt: '2026-09-27T17:30:00Z', committedLimit: wd(10), now: on('2026-09-28') }),
    );
    expect(result.committed).toBe('2026-10-16');
  });

  it('counts over Spring Festival 2026 with both make-up Saturdays', () => {
    // Arrange: accepted Thursday 2026-02-12; working days: 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat), 2 Mar
    const args = input({
      acceptedAt: at('2026-02-12'),
      committedLimit: wd(7),
      statutoryLimit: wd(8),
      now: on('2026-02-12'),
    });
    // Act
    const result = computeDeadlines(args);
    // Assert
    expect(result.committed).toBe('2026-02-28');
    expect(result.statutory).toBe('2026-03-02');
  });

  it('rolls a calendar-day limit ending on a holiday to the next working day', () => {
    // 2026-09-21 + 10 days = 2026-10-01 (National Day, off until 10-07) → 2026-10-08
    const result = computeDeadlines(
      input({
        acceptedAt: at('2026-09-21'),
        committedLimit: days(10),
        statutoryLimit: days(30),
        now: on('2026-09-21'),
      }),
    );
    expect(result.committed).toBe('2026-10-08');
    expect(result.statutory).toBe('2026-10-21');
  });

  it('ends an instant item (limit 0) on the acceptance date, whatever the unit', () => {
    const result = computeDeadlines(
      input({ acceptedAt: at('2026-10-10'), committedLimit: wd(0), statutoryLimit: days(0), now: on('2026-10-10') }),
    );
    expect(result.committed).toBe('2026-10-10');
    expect(result.statutory).toBe('2026-10-10');
    expect(result.workingDaysLeft).toBe(0);
  });

  it('rejects a limit that is not a whole number of days', () => {
    expect(() => computeDeadlines(input({ committedLimit: wd(-1) }))).toThrow(RangeError);
    expect(() => computeDeadlines(input({ statutoryLimit: days(2.5) }))).toThrow(RangeError);
  });
});

describe('computeDeadlines: pauses', () => {
  // Accepted Monday 2026-11-02; 10 working days end Monday 2026-11-16.
  it('moves both deadlines by the 3 working days a supplement pause covers', () => {
    // Arrange: Wed 11-04 → Mon 11-09 covers Thu 5, Fri 6, Mon 9 (the start day is a clock day, the end day is not)
    const pauses: Pause[] = [
      { start: at('2026-11-04', '16:00:00'), end: at('2026-11-09', '09:00:00'), reason: 'supplement' },
    ];
    // Act
    const before = computeDeadlines(input({ now: on('2026-11-10') }));
    const after = computeDeadlines(input({ pauses, now: on('2026-11-10') }));
    // Assert
    expect(before.committed).toBe('2026-11-16');
    expect(after.pausedWorkingDays).toBe(3);
    expect(after.committed).toBe('2026-11-19');
    expect(calendar.workingDaysBetween(before.statutory, after.statutory)).toBe(3);
    expect(after.pauseOpen).toBe(false);
    expect(after.predictedCompletion).toBe(after.committed);
  });

  it('does not move the deadline for a pause that starts and ends on the same day', () => {
    const pauses: Pause[] = [
      { start: at('2026-11-04', '09:00:00'), end: at('2026-11-04', '17:00:00'), reason: 'supplement' },
    ];
    const result = computeDeadlines(input({ pauses }));
    expect(result.pausedWorkingDays).toBe(0);
    expect(result.committed).toBe('2026-11-16');
  });

  it('counts only working days in a pause over a weekend', () => {
    // Fri 11-06 → Mon 11-09 covers Sat, Sun (off) and Mon: 1
    const pauses: Pause[] = [{ start: at('2026-11-06'), end: at('2026-11-09'), reason: 'inspection' }];
    const result = computeDeadlines(input({ pauses }));
    expect(result.pausedWorkingDays).toBe(1);
    expect(result.committed).toBe('2026-11-17');
  });

  it('runs an open pause to today and predicts completion as if it ended today', () => {
    // Arrange: open since Wed 11-04; today Fri 11-06 → Thu 5 and Fri 6 are paused
    const pauses: Pause[] = [{ start: at('2026-11-04'), reason: 'supplement' }];
    // Act
    const friday = computeDeadlines(input({ pauses, now: on('2026-11-06') }));
    const monday = computeDeadlines(input({ pauses, now: on('2026-11-09') }));
    // Assert
    expect(friday.pauseOpen).toBe(true);
    expect(friday.pausedWorkingDays).toBe(2);
    expect(friday.committed).toBe('2026-11-18');
    expect(friday.predictedCompletion).toBe('2026-11-18');
    expect(monday.predictedCompletion).toBe('2026-11-19');
    // the clock is stopped: the days left do not fall while the pause is open (8 on Wed 11-04 too)
    expect(friday.workingDaysLeft).toBe(8);
    expect(monday.workingDaysLeft).toBe(8);
  });

  it('counts overlapping pauses once', () => {
    const pauses: Pause[] = [
      { start: at('2026-11-04'), end: at('2026-11-09'), reason: 'supplement' },
      { start: at('2026-11-05'), end: at('2026-11-10'), reason: 'expert-review' },
    ];
    const result = computeDeadlines(input({ pauses }));
    expect(result.pausedWorkingDays).toBe(4); // 5, 6, 9, 10
    expect(result.committed).toBe('2026-11-20');
  });

  it('ignores the part of a pause before the acceptance date', () => {
    // The pre-review supplement from Thu 10-29 ended Tue 11-03; accepted Mon 11-02: only Tue 3 counts
    const pauses: Pause[] = [{ start: at('2026-10-29'), end: at('2026-11-03'), reason: 'supplement' }];
    const result = computeDeadlines(input({ pauses }));
    expect(result.pausedWorkingDays).toBe(1);
    expect(result.committed).toBe('2026-11-17');
  });

  it('does not move a deadline that had already passed when the pause started', () => {
    // Arrange: committed 11-16, statutory 11-30; a pause from Wed 11-18 to Mon 11-23 covers 19, 20, 23
    const pauses: Pause[] = [{ start: at('2026-11-18'), end: at('2026-11-23'), reason: 'expert-review' }];
    // Act
    const result = computeDeadlines(input({ pauses, now: on('2026-11-24') }));
    // Assert
    expect(result.committed).toBe('2026-11-16');
    expect(result.statutory).toBe('2026-12-03');
    expect(result.workingDaysLeft).toBe(-6);
  });

  it('moves a calendar-day deadline by the working days paused', () => {
    // 2026-11-02 + 10 days = Thu 11-12; pause covers 5, 6, 9 → Tue 11-17
    const pauses: Pause[] = [{ start: at('2026-11-04'), end: at('2026-11-09'), reason: 'supplement' }];
    const result = computeDeadlines(input({ committedLimit: days(10), pauses }));
    expect(result.committed).toBe('2026-11-17');
  });
});

describe('computeDeadlines: days left', () => {
  it('is 0 on the deadline day', () => {
    const result = computeDeadlines(input({ acceptedAt: at('2026-09-28'), now: on('2026-10-16', '23:59:00') }));
    expect(result.workingDaysLeft).toBe(0);
  });

  it('is negative once the deadline has passed, in working days', () => {
    // committed Fri 10-16; Tue 10-20 is two working days late (19, 20)
    const result = computeDeadlines(input({ acceptedAt: at('2026-09-28'), now: on('2026-10-20') }));
    expect(result.workingDaysLeft).toBe(-2);
  });

  it('is at least one day overdue on the weekend after a Friday deadline', () => {
    const result = computeDeadlines(input({ acceptedAt: at('2026-09-28'), now: on('2026-10-17') }));
    expect(result.workingDaysLeft).toBe(-1);
  });

  it('counts the days left from the China date of now', () => {
    // 2026-10-15T16:30Z is already 10-16 in China
    const result = computeDeadlines(input({ acceptedAt: at('2026-09-28'), now: new Date('2026-10-15T16:30:00Z') }));
    expect(result.workingDaysLeft).toBe(0);
  });
});

describe('computeDeadlines: years without calendar data', () => {
  it('counts 2027 without data Monday to Friday and flags the calendar incomplete', () => {
    // Arrange: accepted Fri 2026-12-25; 28–31 Dec, then 2027 has no data: Fri 1 Jan counts, 4–8 Jan
    const args = input({
      acceptedAt: at('2026-12-25'),
      committedLimit: wd(10),
      statutoryLimit: wd(10),
      now: on('2026-12-25'),
    });
    // Act
    const result = computeDeadlines(args);
    // Assert
    expect(result.committed).toBe('2027-01-08');
    expect(result.calendarIncomplete).toBe(true);
  });

  it('uses 2027 data once an administrator adds it', () => {
    // Arrange
    const with2027 = new WorkingCalendar([
      ...officialCalendarYears(),
      { year: 2027, holidays: ['2027-01-01'], workdays: [], source: 'admin' },
    ]);
    const args = input({
      acceptedAt: at('2026-12-25'),
      committedLimit: wd(10),
      statutoryLimit: wd(10),
      now: on('2026-12-25'),
      calendar: with2027,
    });
    // Act
    const result = computeDeadlines(args);
    // Assert
    expect(result.committed).toBe('2027-01-11');
    expect(result.calendarIncomplete).toBe(false);
  });

  it('flags the calendar incomplete when only the statutory deadline reaches a year without data', () => {
    const result = computeDeadlines(
      input({ acceptedAt: at('2026-12-01'), committedLimit: wd(5), statutoryLimit: days(60), now: on('2026-12-01') }),
    );
    expect(result.committed).toBe('2026-12-08');
    expect(result.calendarIncomplete).toBe(true);
  });
});

describe('art32DeemedAcceptance', () => {
  // Received Mon 2026-09-28; 5 working days: 29, 30 Sep, 8, 9, 10 (make-up Sat) Oct.
  const receivedAt = at('2026-09-28', '09:00:00');

  it('is not deemed on the 5th working day itself', () => {
    const result = art32DeemedAcceptance({ receivedAt, now: on('2026-10-10', '18:00:00'), calendar });
    expect(result).toEqual({ deemed: false });
  });

  it('is deemed accepted from the day of receipt once the 5th working day has passed without a notice', () => {
    const result = art32DeemedAcceptance({ receivedAt, now: on('2026-10-11'), calendar });
    expect(result).toEqual({ deemed: true, acceptedAt: receivedAt });
  });

  it('is not deemed when the notice was issued within 5 working days', () => {
    const result = art32DeemedAcceptance({
      receivedAt,
      noticeIssuedAt: at('2026-10-10', '17:00:00'),
      now: on('2026-10-20'),
      calendar,
    });
    expect(result.deemed).toBe(false);
  });

  it('is deemed when the notice came too late', () => {
    const result = art32DeemedAcceptance({
      receivedAt,
      noticeIssuedAt: at('2026-10-12'),
      now: on('2026-10-20'),
      calendar,
    });
    expect(result).toEqual({ deemed: true, acceptedAt: receivedAt });
  });

  it('does not count the National Day week as notice days', () => {
    // On 2026-10-08 only three working days have passed
    const result = art32DeemedAcceptance({ receivedAt, now: on('2026-10-08'), calendar });
    expect(result.deemed).toBe(false);
  });
});

describe('yellowThreshold and deadlineColour', () => {
  it('is the setting in days for short limits and the fraction for long ones', () => {
    expect(yellowThreshold(wd(5))).toBe(2);
    expect(yellowThreshold(wd(20))).toBe(4);
    expect(yellowThreshold(wd(12))).toBe(3); // ceil(2.4)
  });

  it('does not add a day for floating-point noise', () => {
    // 0.2 × 35 is 7.000000000000001 in floating point
    expect(yellowThreshold(wd(35))).toBe(7);
  });

  it('follows the hall settings', () => {
    expect(yellowThreshold(wd(20), 3, 0.3)).toBe(6);
    expect(yellowThreshold(wd(20), 5, 0)).toBe(5);
  });

  it('is red once overdue, yellow at or under the threshold, green above', () => {
    const limit = wd(20);
    expect(deadlineColour({ workingDaysLeft: -1, limit })).toBe('red');
    expect(deadlineColour({ workingDaysLeft: 0, limit })).toBe('yellow');
    expect(deadlineColour({ workingDaysLeft: 4, limit })).toBe('yellow');
    expect(deadlineColour({ workingDaysLeft: 5, limit })).toBe('green');
  });

  it('uses the settings passed in', () => {
    expect(deadlineColour({ workingDaysLeft: 5, limit: wd(20) }, { yellowDays: 5 })).toBe('yellow');
    expect(deadlineColour({ workingDaysLeft: 5, limit: wd(20) }, { yellowFraction: 0.1 })).toBe('green');
  });
});
