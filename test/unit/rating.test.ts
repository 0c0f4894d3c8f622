/** Rating a decided case on its record: once, a later SMS reply in the history, the default after the period, a void on appeal. */
import type { CaseRecord } from '../../shared/domain/case';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import {
  applyDefaultRating,
  countedRating,
  defaultRatingDate,
  FEEDBACK_DEFAULTS,
  feedbackSettingsFrom,
  rateCase,
  voidRating,
} from '../../shared/domain/rating';

const DECIDED_AT = '2026-09-28T15:00:00.000+08:00';
const LATER = '2026-09-29T10:00:00.000+08:00';
const applicant = { id: 'applicant', role: 'applicant' as const };
const supervisor = { id: 'sup-1', role: 'supervisor' as const };

function decided(changes: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseNo: 'ENV-20260928-0001',
    itemCode: 'ENV-EIA-FORM',
    itemName: '建设项目环境影响报告表审批',
    department: 'ENV',
    kind: 'committed',
    channel: 'online',
    delivery: 'pickup',
    applicant: { name: '张三', idType: 'resident-id', idNumber: '11010519491231002X', phone: '13800001234' },
    phoneHash: 'h',
    idHash: 'i',
    status: 'approved',
    version: 3,
    receivedAt: '2026-09-28T09:00:00.000+08:00',
    decidedAt: DECIDED_AT,
    materials: [],
    pauses: [],
    history: [],
    ...changes,
  };
}

describe('rateCase', () => {
  it('records the first rating with its source and instant, one history entry and the next version', () => {
    // Act
    const { record, counted } = rateCase(
      decided(),
      { level: 'satisfied', source: 'sms' },
      { actor: applicant, at: LATER },
    );
    // Assert
    expect(counted).toBe(true);
    expect(record.rating).toEqual({ level: 'satisfied', source: 'sms', at: LATER });
    expect(record.version).toBe(4);
    expect(record.history).toEqual([
      {
        at: LATER,
        actor: 'applicant',
        role: 'applicant',
        action: 'rate',
        from: 'approved',
        to: 'approved',
        note: 'satisfied by SMS',
      },
    ]);
  });

  it('keeps a later SMS reply in the history without counting it', () => {
    // Arrange
    const rated = rateCase(
      decided(),
      { level: 'very-satisfied', source: 'sms' },
      { actor: applicant, at: LATER },
    ).record;
    // Act
    const { record, counted } = rateCase(
      rated,
      { level: 'very-dissatisfied', source: 'sms' },
      { actor: applicant, at: LATER },
    );
    // Assert
    expect(counted).toBe(false);
    expect(record.rating).toEqual(rated.rating);
    expect(record.history.at(-1)).toEqual(
      expect.objectContaining({ action: 'rating-not-counted', note: expect.stringContaining('very-dissatisfied') }),
    );
  });

  it.each(['online', 'default'] as const)('refuses a second rating from %s with a conflict', (source) => {
    const rated = rateCase(decided(), { level: 'satisfied', source: 'sms' }, { actor: applicant, at: LATER }).record;
    expect(() => rateCase(rated, { level: 'satisfied', source }, { actor: applicant, at: LATER })).toThrow(
      ConflictError,
    );
  });

  it.each(['submitted', 'accepted', 'in-review', 'withdrawn'] as const)(
    'refuses to rate a case that is %s',
    (status) => {
      expect(() =>
        rateCase(decided({ status }), { level: 'satisfied', source: 'online' }, { actor: applicant, at: LATER }),
      ).toThrow(ConflictError);
    },
  );

  it('refuses a level the scheme does not have', () => {
    expect(() =>
      rateCase(decided(), { level: 'great' as never, source: 'online' }, { actor: applicant, at: LATER }),
    ).toThrow(ValidationError);
  });
});

describe('default ratings', () => {
  it('applies from the 8th calendar day after the decision with 7 days to rate', () => {
    expect(defaultRatingDate(DECIDED_AT, 7)).toBe('2026-10-06');
    // A decision late in the evening China time counts on its China date.
    expect(defaultRatingDate('2026-09-28T23:30:00.000+08:00', 7)).toBe('2026-10-06');
  });

  it('leaves the case alone on the last day of the period and rates it fairly satisfied, source default, the day after', () => {
    // Act
    const onLastDay = applyDefaultRating(decided(), FEEDBACK_DEFAULTS, '2026-10-05', '2026-10-05T23:00:00.000+08:00');
    const dayAfter = applyDefaultRating(decided(), FEEDBACK_DEFAULTS, '2026-10-06', '2026-10-06T00:15:00.000+08:00');
    // Assert
    expect(onLastDay).toBeUndefined();
    expect(dayAfter!.rating).toEqual({
      level: 'fairly-satisfied',
      source: 'default',
      at: '2026-10-06T00:15:00.000+08:00',
    });
    expect(dayAfter!.history.at(-1)).toEqual(
      expect.objectContaining({ actor: 'system', role: 'system', action: 'rate' }),
    );
  });

  it("never overrides an applicant's rating, nor rates an undecided case", () => {
    const rated = rateCase(
      decided(),
      { level: 'dissatisfied', source: 'online' },
      { actor: applicant, at: LATER },
    ).record;
    expect(applyDefaultRating(rated, FEEDBACK_DEFAULTS, '2026-12-01', LATER)).toBeUndefined();
    expect(
      applyDefaultRating(
        decided({ status: 'in-review', decidedAt: undefined }),
        FEEDBACK_DEFAULTS,
        '2026-12-01',
        LATER,
      ),
    ).toBeUndefined();
  });
});

describe('voidRating', () => {
  it('keeps the voided rating on the record, marked, so that it counts nowhere; voiding again changes nothing', () => {
    // Arrange
    const rated = rateCase(
      decided(),
      { level: 'very-dissatisfied', source: 'sms' },
      { actor: applicant, at: LATER },
    ).record;
    // Act
    const voided = voidRating(rated, { actor: supervisor, at: LATER, note: '经核实为恶意差评' })!;
    // Assert
    expect(voided.rating).toEqual({
      level: 'very-dissatisfied',
      source: 'sms',
      at: LATER,
      voided: true,
      voidedAt: LATER,
    });
    expect(countedRating(voided)).toBeUndefined();
    expect(countedRating(rated)).toEqual(rated.rating);
    expect(voided.history.at(-1)).toEqual(
      expect.objectContaining({ action: 'void-rating', actor: 'sup-1', role: 'supervisor' }),
    );
    expect(voidRating(voided, { actor: supervisor, at: LATER, note: 'again' })).toBeUndefined();
  });

  it('refuses to void a rating that does not exist', () => {
    expect(() => voidRating(decided(), { actor: supervisor, at: LATER, note: 'x' })).toThrow(ConflictError);
  });
});

describe('feedbackSettingsFrom', () => {
  it('takes the defaults for unset values and whole numbers of days for set ones', () => {
    expect(feedbackSettingsFrom({})).toEqual({
      defaultRatingDays: 7,
      followUpWorkingDays: 15,
      complaintWorkingDays: 15,
    });
    expect(feedbackSettingsFrom({ followUpWorkingDays: '5' })).toEqual({
      defaultRatingDays: 7,
      followUpWorkingDays: 5,
      complaintWorkingDays: 15,
    });
  });

  it.each(['0', '-3', '1.5', 'seven', '366'])('fails loudly on "%s"', (value) => {
    expect(() => feedbackSettingsFrom({ defaultRatingDays: value })).toThrow(/defaultRatingDays/);
  });
});
