import {
  addDays,
  chinaDate,
  chinaDayNumber,
  chinaMonth,
  dayOfWeek,
  daysBetween,
  fromDayNumber,
  isCalendarDate,
  toDayNumber,
} from '../../shared/domain/china-time';

const DAY_MS = 86_400_000;

/** The China date of an instant the slow, obvious way: format the instant moved by eight hours. */
function formatted(t: Date): string {
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

describe('chinaDate', () => {
  it('gives the China date of instants around midnight in China and UTC, from a string or a Date', () => {
    // Arrange: every hour from 2019-12-30 to 2020-01-03 (a leap year's edge)
    const instants = Array.from({ length: 24 * 5 }, (_, h) => new Date(Date.UTC(2019, 11, 30, h, 30)));

    // Act
    const mismatches = instants.filter(
      (t) => chinaDate(t) !== formatted(t) || chinaDate(t.toISOString()) !== formatted(t),
    );

    // Assert
    expect(mismatches).toEqual([]);
    expect(chinaDate('2026-09-27T16:00:00Z')).toBe('2026-09-28');
    expect(chinaDate('2026-09-28T23:59:59.999+08:00')).toBe('2026-09-28');
    expect(chinaMonth('2026-09-30T16:00:00Z')).toBe('2026-10');
  });

  it('rejects a string that is not an instant, naming it', () => {
    // Arrange / Act / Assert
    expect(() => chinaDate('yesterday', 'acceptedAt')).toThrow(/acceptedAt/);
    expect(() => chinaDate(new Date(NaN))).toThrow(RangeError);
  });
});

describe('chinaDayNumber', () => {
  it('reads the same day from a bare date, a +08:00 instant and a UTC instant', () => {
    // Arrange
    const dates = ['1999-12-31', '2000-02-29', '2016-03-01', '2026-10-16', '2100-03-01'];

    // Act
    const read = dates.map((d) => [
      chinaDayNumber(d),
      chinaDayNumber(`${d}T00:10:00.000+08:00`),
      chinaDayNumber(new Date(`${d}T00:10:00.000+08:00`).toISOString()),
    ]);

    // Assert
    expect(read).toEqual(dates.map((d) => Array(3).fill(Date.parse(`${d}T00:00:00Z`) / DAY_MS)));
  });

  it('gives NaN, which is in no period, for a missing or unreadable date', () => {
    // Arrange / Act / Assert
    expect(chinaDayNumber(undefined)).toBeNaN();
    expect(chinaDayNumber('not a date')).toBeNaN();
    expect(chinaDayNumber('2026-13-01')).toBeNaN();
  });
});

describe('calendar days', () => {
  it('adds, counts and names days like Date arithmetic in UTC, across month, year and leap-day edges', () => {
    // Arrange: every day from 1999-12-01 to 2029-03-31
    const first = Date.UTC(1999, 11, 1);
    const last = Date.UTC(2029, 2, 31);
    const mismatches: string[] = [];

    // Act
    for (let t = first; t <= last; t += DAY_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      const in40 = new Date(t + 40 * DAY_MS).toISOString().slice(0, 10);
      const ago40 = new Date(t - 40 * DAY_MS).toISOString().slice(0, 10);
      if (
        toDayNumber(date) !== t / DAY_MS ||
        fromDayNumber(t / DAY_MS) !== date ||
        addDays(date, 40) !== in40 ||
        addDays(date, -40) !== ago40 ||
        daysBetween(ago40, date) !== 40 ||
        dayOfWeek(date) !== new Date(t).getUTCDay()
      )
        mismatches.push(date);
    }

    // Assert
    expect(mismatches).toEqual([]);
  });

  it('knows which strings are real dates written YYYY-MM-DD', () => {
    // Arrange
    const real = ['2024-02-29', '2000-02-29', '2026-12-31'];
    const unreal = ['2026-02-29', '1900-02-29', '2026-04-31', '2026-00-10', '2026-1-10', '2026-01-10T00:00', ''];

    // Act / Assert
    expect(real.filter((d) => !isCalendarDate(d))).toEqual([]);
    expect(unreal.filter((d) => isCalendarDate(d))).toEqual([]);
    expect(() => toDayNumber('2026-02-30')).toThrow(RangeError);
  });
});
