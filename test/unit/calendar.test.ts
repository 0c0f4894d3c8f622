import chineseDays from 'chinese-days';
import {
  CalendarYear,
  CalendarYearBodySchema,
  WorkingCalendar,
  validateCalendarYear,
} from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import { addDays, dayOfWeek, fromDayNumber, toDayNumber } from '../../shared/domain/china-time';
import { ValidationError } from '../../shared/domain/errors';

const official = new WorkingCalendar(officialCalendarYears());

/** A small deterministic PRNG (mulberry32), so the property test is the same every run. */
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

function problemsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('official calendar: golden dates', () => {
  it('counts ten working days after 2026-09-28 to 2026-10-16, over National Day and the 2026-10-10 make-up Saturday', () => {
    // Arrange: 29, 30 Sep; 8, 9, 10 (Sat), 12–16 Oct
    // Act
    const end = official.addWorkingDays('2026-09-28', 10);
    // Assert
    expect(end).toBe('2026-10-16');
  });

  it('treats the Spring Festival make-up Saturdays 2026-02-14 and 2026-02-28 as working days', () => {
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(dayOfWeek('2026-02-28')).toBe(6);
    expect(official.isWorkingDay('2026-02-14')).toBe(true);
    expect(official.isWorkingDay('2026-02-28')).toBe(true);
  });

  it('treats every day of National Day week 2026-10-01..07 as a holiday, and 2026-10-08 as a working day', () => {
    const week = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];
    expect(week.map((d) => official.isWorkingDay(d))).toEqual([false, false, false, false, false, false, false]);
    expect(official.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('treats the Spring Festival holiday 2026-02-15..23 as days off, weekdays included', () => {
    // Arrange: chinese-days lists 2026-02-15 (Sun) .. 2026-02-23 (Mon) as 春节
    const days = Array.from({ length: 9 }, (_, i) => addDays('2026-02-15', i));
    // Act
    const working = days.filter((d) => official.isWorkingDay(d));
    // Assert
    expect(days[days.length - 1]).toBe('2026-02-23');
    expect(working).toEqual([]);
    expect(official.isWorkingDay('2026-02-13')).toBe(true);
    expect(official.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('counts five working days after Friday 2026-02-13 over Spring Festival to 2026-02-27', () => {
    // 14 (make-up Sat), 24, 25, 26, 27
    expect(official.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
    expect(official.workingDaysBetween('2026-02-13', '2026-02-27')).toBe(5);
  });

  it('counts five working days after Friday 2026-09-25, itself the Mid-Autumn holiday, to 2026-10-09', () => {
    // 28, 29, 30 Sep; 8, 9 Oct
    expect(official.isWorkingDay('2026-09-25')).toBe(false);
    expect(official.addWorkingDays('2026-09-25', 5)).toBe('2026-10-09');
  });

  it('treats the Sunday 2026-09-20 as a make-up working day', () => {
    expect(dayOfWeek('2026-09-20')).toBe(0);
    expect(official.isWorkingDay('2026-09-20')).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('does not count the start day (Civil Code art. 201)', () => {
    expect(official.addWorkingDays('2026-11-02', 1)).toBe('2026-11-03');
  });

  it('returns the start date itself for zero days, even on a holiday', () => {
    expect(official.addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
  });

  it('counts from a weekend start to the following working days', () => {
    // Saturday 2026-11-07: Monday 9 is the first working day after it
    expect(official.addWorkingDays('2026-11-07', 1)).toBe('2026-11-09');
  });

  it('rejects a negative or fractional count', () => {
    expect(() => official.addWorkingDays('2026-11-02', -1)).toThrow(RangeError);
    expect(() => official.addWorkingDays('2026-11-02', 1.5)).toThrow(RangeError);
  });

  it('rejects a date that is not a real YYYY-MM-DD date', () => {
    expect(() => official.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => official.isWorkingDay('2026/10/01')).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it('rolls a period ending on a holiday to the next working day (Civil Code art. 203)', () => {
    // 2026-09-21 + 10 days = 2026-10-01, National Day; the holiday ends on 10-07, so 10-08
    expect(addDays('2026-09-21', 10)).toBe('2026-10-01');
    expect(official.addCalendarDays('2026-09-21', 10)).toBe('2026-10-08');
  });

  it('keeps a period ending on a working day as it is', () => {
    expect(official.addCalendarDays('2026-09-28', 10)).toBe('2026-10-08');
    expect(official.addCalendarDays('2026-11-02', 30)).toBe('2026-12-02');
  });

  it('ends on a make-up Saturday when the period ends there', () => {
    expect(official.addCalendarDays('2026-10-03', 7)).toBe('2026-10-10');
  });

  it('rolls a period ending on an ordinary Sunday to Monday', () => {
    expect(official.addCalendarDays('2026-11-01', 7)).toBe('2026-11-09');
  });
});

describe('workingDaysBetween and nextWorkingDay', () => {
  it('counts working days in (from, to]', () => {
    expect(official.workingDaysBetween('2026-09-28', '2026-10-16')).toBe(10);
  });

  it('is zero for the same day and negative when to is earlier', () => {
    expect(official.workingDaysBetween('2026-10-16', '2026-10-16')).toBe(0);
    expect(official.workingDaysBetween('2026-10-16', '2026-09-28')).toBe(-10);
  });

  it('gives the first working day strictly after a date', () => {
    expect(official.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(official.nextWorkingDay('2026-11-02')).toBe('2026-11-03');
  });
});

describe('years without data', () => {
  it('counts a year without data Monday to Friday and reports it incomplete', () => {
    // Arrange: chinese-days 1.5.7 stops at 2026
    // Act
    const end = official.addWorkingDays('2026-12-30', 3);
    // Assert: 31 Dec, Fri 1 Jan 2027 (no data: an ordinary Friday), Mon 4 Jan
    expect(official.hasYear(2027)).toBe(false);
    expect(official.isWorkingDay('2027-01-01')).toBe(true);
    expect(end).toBe('2027-01-04');
    expect(official.incompleteYears('2026-12-30', end)).toEqual([2027]);
  });

  it('uses a year an administrator adds, which then counts as complete', () => {
    // Arrange
    const withNext = new WorkingCalendar([
      ...officialCalendarYears(),
      { year: 2027, holidays: ['2027-01-01'], workdays: [], source: 'admin' },
    ]);
    // Act
    const end = withNext.addWorkingDays('2026-12-30', 3);
    // Assert
    expect(withNext.isWorkingDay('2027-01-01')).toBe(false);
    expect(end).toBe('2027-01-05');
    expect(withNext.incompleteYears('2026-12-30', end)).toEqual([]);
    expect(withNext.years().slice(-2)).toEqual([2026, 2027]);
  });

  it('counts a calendar without any year Monday to Friday', () => {
    const bare = new WorkingCalendar([]);
    expect(bare.years()).toEqual([]);
    expect(bare.isWorkingDay('2026-10-01')).toBe(true);
    expect(bare.addWorkingDays('2026-10-02', 1)).toBe('2026-10-05');
    expect(bare.workingDaysBetween('2026-10-02', '2026-10-12')).toBe(6);
    expect(bare.incompleteYears('2027-06-01', '2025-01-01')).toEqual([2025, 2026, 2027]);
  });

  it('counts a gap year between years with data Monday to Friday', () => {
    const gap = new WorkingCalendar([
      { year: 2024, holidays: [], workdays: [] },
      { year: 2026, holidays: ['2026-10-01'], workdays: [] },
    ]);
    expect(gap.isWorkingDay('2025-10-01')).toBe(true);
    expect(gap.isWorkingDay('2026-10-01')).toBe(false);
    expect(gap.incompleteYears('2024-01-01', '2026-12-31')).toEqual([2025]);
  });

  it('counts before the first year with data Monday to Friday', () => {
    expect(official.hasYear(2003)).toBe(false);
    expect(official.addWorkingDays('2003-12-31', 1)).toBe('2004-01-02'); // 2004-01-01 is 元旦
    expect(official.workingDaysBetween('2003-12-26', '2004-01-02')).toBe(4);
  });
});

describe('WorkingCalendar construction', () => {
  it('lets a later entry for the same year replace an earlier one', () => {
    const cal = new WorkingCalendar([
      { year: 2026, holidays: ['2026-11-02'], workdays: [] },
      { year: 2026, holidays: [], workdays: [] },
    ]);
    expect(cal.isWorkingDay('2026-11-02')).toBe(true);
  });

  it('refuses year data with a date outside its year', () => {
    const bad: CalendarYear = { year: 2027, holidays: ['2026-12-31'], workdays: [] };
    expect(() => new WorkingCalendar([bad])).toThrow(/holidays\[0\]/);
  });
});

describe('day numbers', () => {
  it('round-trips every day from 1999 to 2031 like the Date-based helpers', () => {
    // Arrange
    let date = '1999-01-01';
    const start = toDayNumber(date);
    const mismatches: string[] = [];
    // Act
    for (let i = 0; i < 33 * 366; i++) {
      if (toDayNumber(date) !== start + i || fromDayNumber(start + i) !== date) mismatches.push(date);
      date = addDays(date, 1);
    }
    // Assert
    expect(mismatches).toEqual([]);
    expect(toDayNumber('1970-01-01')).toBe(0);
  });
});

describe('properties over 2020–2026 and beyond', () => {
  it('inverts addWorkingDays with workingDaysBetween for random dates and counts 0..40', () => {
    // Arrange
    const random = prng(20261016);
    const first = toDayNumber('2020-01-01');
    const span = toDayNumber('2026-12-31') - first + 1;
    const failures: string[] = [];
    // Act
    for (let i = 0; i < 5000; i++) {
      const d = fromDayNumber(first + Math.floor(random() * span));
      const n = Math.floor(random() * 41);
      const end = official.addWorkingDays(d, n);
      if (official.workingDaysBetween(d, end) !== n) failures.push(`${d}+${n}`);
      if (n > 0 && !official.isWorkingDay(end)) failures.push(`${d}+${n} ends on a day off`);
    }
    // Assert
    expect(failures).toEqual([]);
  });

  it('agrees with counting day by day, across the ends of the data', () => {
    // Arrange: a reference that steps one day at a time
    const naive = (d: string, n: number) => {
      let day = d;
      for (let left = n; left > 0;) {
        day = addDays(day, 1);
        if (official.isWorkingDay(day)) left--;
      }
      return day;
    };
    const random = prng(42);
    const first = toDayNumber('2003-06-01');
    const span = toDayNumber('2028-06-30') - first;
    const failures: string[] = [];
    // Act
    for (let i = 0; i < 2000; i++) {
      const d = fromDayNumber(first + Math.floor(random() * span));
      const n = Math.floor(random() * 41);
      if (official.addWorkingDays(d, n) !== naive(d, n)) failures.push(`${d}+${n}`);
    }
    // Assert
    expect(failures).toEqual([]);
  });
});

describe('official seed', () => {
  it('contains 2026 with 2026-10-10 as a make-up working day, from chinese-days', () => {
    const y2026 = officialCalendarYears().find((y) => y.year === 2026);
    expect(y2026?.workdays).toContain('2026-10-10');
    expect(y2026?.holidays).toContain('2026-10-01');
    expect(y2026?.source).toBe('chinese-days');
  });

  it('covers every year from 2004 to 2026, in order, the same on every call', () => {
    const years = officialCalendarYears();
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(officialCalendarYears()).toEqual(years);
    expect(years.every((y) => y.source === 'chinese-days')).toBe(true);
  });

  it('gives the same working days as chinese-days itself for every day it covers', () => {
    // Arrange
    const disagreements: string[] = [];
    // Act
    for (let date = '2004-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      if (official.isWorkingDay(date) !== chineseDays.isWorkday(date)) disagreements.push(date);
    }
    // Assert
    expect(disagreements).toEqual([]);
  });
});

describe('validateCalendarYear', () => {
  it('returns the year with both lists sorted', () => {
    const year = validateCalendarYear('2027', {
      holidays: ['2027-02-08', '2027-01-01'],
      workdays: ['2027-02-20', '2027-02-06'],
      source: '国务院办公厅通知',
    });
    expect(year).toEqual({
      year: 2027,
      holidays: ['2027-01-01', '2027-02-08'],
      workdays: ['2027-02-06', '2027-02-20'],
      source: '国务院办公厅通知',
    });
  });

  it('accepts a holiday that falls on a weekend', () => {
    expect(validateCalendarYear(2027, { holidays: ['2027-01-02'], workdays: [] }).holidays).toEqual(['2027-01-02']);
  });

  it('names every bad date by its field', () => {
    // Arrange: 2027-01-02 and 2027-01-09 are Saturdays, 2027-01-05 a Tuesday
    const body = {
      holidays: ['2027-01-02', '2027-02-30', '2026-12-31', '2027/01/02', '2027-01-02'],
      workdays: ['2027-01-09', '2027-01-02', '2027-01-05'],
    };
    // Act
    const problems = problemsOf(() => validateCalendarYear(2027, body));
    // Assert
    expect(problems.map((p) => p.field)).toEqual([
      'holidays[1]',
      'holidays[2]',
      'holidays[3]',
      'holidays[4]',
      'workdays[1]',
      'workdays[2]',
    ]);
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField['holidays[1]']).toMatch(/not a real calendar date/);
    expect(byField['holidays[2]']).toMatch(/not in 2027/);
    expect(byField['holidays[3]']).toMatch(/YYYY-MM-DD/);
    expect(byField['holidays[4]']).toMatch(/listed twice/);
    expect(byField['workdays[1]']).toMatch(/both a holiday and a working day/);
    expect(byField['workdays[2]']).toMatch(/Saturday or Sunday/);
  });

  it('names missing lists and a body that is not an object', () => {
    expect(problemsOf(() => validateCalendarYear(2027, {})).map((p) => p.field)).toEqual(['holidays', 'workdays']);
    expect(problemsOf(() => validateCalendarYear(2027, 'x')).map((p) => p.field)).toEqual(['body']);
    expect(problemsOf(() => validateCalendarYear(2027, { holidays: [1], workdays: [] })).map((p) => p.field)).toEqual([
      'holidays[0]',
    ]);
  });

  it('names a year out of range or not a year', () => {
    expect(problemsOf(() => validateCalendarYear('20x7', { holidays: [], workdays: [] }))[0].field).toBe('year');
    expect(problemsOf(() => validateCalendarYear(3000, { holidays: [], workdays: [] }))[0].field).toBe('year');
  });

  it('describes the body schema and applies the year-free checks in it', () => {
    // Act
    const result = CalendarYearBodySchema.safeParse({ holidays: [], workdays: ['2027-01-05'] });
    // Assert
    expect(CalendarYearBodySchema.description).toMatch(/working-day calendar/);
    expect(CalendarYearBodySchema.shape.workdays.description).toMatch(/调休上班日/);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['workdays', 0]);
  });
});
