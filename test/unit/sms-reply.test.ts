import { RATING_LEVELS, type RatingLevel } from '../../shared/domain/case';
import {
  digitOfLevel,
  isBadRating,
  LEVEL_NAMES_ZH,
  levelFromDigit,
  levelFromStars,
  parseReply,
  starsOfLevel,
  type ParsedReply,
} from '../../shared/domain/sms-reply';

const VS: RatingLevel = 'very-satisfied';
const S: RatingLevel = 'satisfied';
const FS: RatingLevel = 'fairly-satisfied';
const D: RatingLevel = 'dissatisfied';
const VD: RatingLevel = 'very-dissatisfied';
const CASE = 'ENV-20261130-0042';

const rating = (level: RatingLevel, caseNo?: string): ParsedReply =>
  caseNo ? { kind: 'rating', level, caseNo } : { kind: 'rating', level };
const unreadable = (caseNo?: string): ParsedReply => (caseNo ? { kind: 'unreadable', caseNo } : { kind: 'unreadable' });

describe('parseReply reads the replies people actually send', () => {
  const table: Array<[string, ParsedReply]> = [
    // the menu digit, however it is typed
    ['1', rating(VS)],
    ['2', rating(S)],
    ['3', rating(FS)],
    ['4', rating(D)],
    ['5', rating(VD)],
    ['１', rating(VS)],
    ['５', rating(VD)],
    [' 1 ', rating(VS)],
    ['1。', rating(VS)],
    ['3！', rating(FS)],
    ['4？', rating(D)],
    ['①', rating(VS)],
    ['1️⃣', rating(VS)],
    ['回复1', rating(VS)],
    ['我选2', rating(S)],
    ['选3，谢谢', rating(FS)],
    ['2👍', rating(S)],
    ['不好意思，我选2', rating(S)],
    // the five words, longest match first
    ['非常满意', rating(VS)],
    ['非常满意！', rating(VS)],
    ['满意', rating(S)],
    ['满意。', rating(S)],
    ['满意!!', rating(S)],
    ['基本满意', rating(FS)],
    ['不满意', rating(D)],
    ['非常不满意', rating(VD)],
    ['非常不满意！！！', rating(VD)],
    // common variants
    ['很满意', rating(VS)],
    ['十分满意', rating(VS)],
    ['非常非常满意', rating(VS)],
    ['谢谢，非常满意👍', rating(VS)],
    ['很不满意', rating(VD)],
    ['一点都不满意', rating(VD)],
    ['不太满意', rating(D)],
    ['不是很满意', rating(D)],
    ['比较满意', rating(FS)],
    ['一般', rating(FS)],
    ['还行吧', rating(FS)],
    ['满意，但是等太久了', rating(S)],
    ['挺满意的，谢谢', rating(S)],
    ['好评', rating(S)],
    ['差评', rating(D)],
    ['五星好评', rating(VS)],
    ['一星差评', rating(VD)],
    ['等了一星期，不满意', rating(D)],
    ['满分', rating(VS)],
    // a Chinese numeral only when alone
    ['五', rating(VD)],
    ['一', rating(VS)],
    ['回复三', rating(FS)],
    ['一下', unreadable()],
    // with the case number: its digits are never the rating
    [`${CASE} 5`, rating(VD, CASE)],
    [`5 ${CASE}`, rating(VD, CASE)],
    ['env-20261130-0042：满意', rating(S, CASE)],
    ['ENV202611300042 1', rating(VS, CASE)],
    ['ＥＮＶ－２０２６１１３０－００４２　２', rating(S, CASE)],
    [`办件${CASE}非常不满意`, rating(VD, CASE)],
    ['ENVIRONME-20261130-12345 3', rating(FS, 'ENVIRONME-20261130-12345')],
    [CASE, unreadable(CASE)],
    ['ENV-20261130-00425', unreadable('ENV-20261130-00425')],
    [`${CASE} 12`, unreadable(CASE)],
    [`${CASE} ENV-20261130-0043 1`, unreadable()],
    // nothing to read
    ['', unreadable()],
    ['   ', unreadable()],
    ['？', unreadable()],
    ['ok', unreadable()],
    ['谢谢', unreadable()],
    ['好的', unreadable()],
    ['👍', unreadable()],
    ['TD', unreadable()],
    ['退订', unreadable()],
    // out of range or ambiguous
    ['0', unreadable()],
    ['6', unreadable()],
    ['9', unreadable()],
    ['12', unreadable()],
    ['11', unreadable()],
    ['1或者2', unreadable()],
    ['1 或 2', unreadable()],
    ['满意又不满意', unreadable()],
    ['服务很好但是不满意', unreadable()],
    ['1 满意', unreadable()],
    ['1分', unreadable()],
    ['给5分', unreadable()],
    ['1.5', unreadable()],
    // the same level twice is still one level
    ['1 非常满意', rating(VS)],
    ['2满意', rating(S)],
  ];

  it('covers at least forty replies', () => {
    // Arrange / Act
    const count = table.length;

    // Assert
    expect(count).toBeGreaterThanOrEqual(40);
  });

  it.each(table)('reads %j', (text, expected) => {
    // Act
    const parsed = parseReply(text);

    // Assert
    expect(parsed).toEqual(expected);
  });
});

describe('parseReply is safe with any input', () => {
  it('treats a non-string as unreadable instead of throwing', () => {
    // Arrange
    const notText = undefined as unknown as string;

    // Act
    const parsed = parseReply(notText);

    // Assert
    expect(parsed).toEqual({ kind: 'unreadable' });
  });

  it('reads every level name from LEVEL_NAMES_ZH back as that level', () => {
    // Arrange
    const names = RATING_LEVELS.map((level) => [level, LEVEL_NAMES_ZH[level]] as const);

    // Act
    const read = names.map(([, name]) => parseReply(name));

    // Assert
    expect(read).toEqual(names.map(([level]) => ({ kind: 'rating', level })));
  });
});

describe('rating level helpers', () => {
  it('maps the menu digits 1..5 to very-satisfied..very-dissatisfied and back', () => {
    // Arrange
    const digits = [1, 2, 3, 4, 5];

    // Act
    const levels = digits.map((d) => levelFromDigit(d));
    const back = levels.map((l) => digitOfLevel(l as RatingLevel));

    // Assert
    expect(levels).toEqual([VS, S, FS, D, VD]);
    expect(back).toEqual(digits);
  });

  it('has no level for digits outside 1..5 or fractions', () => {
    // Arrange
    const bad = [0, 6, -1, 1.5, Number.NaN];

    // Act
    const levels = bad.map((d) => levelFromDigit(d));

    // Assert
    expect(levels).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('counts stars the other way round: 5 stars is very satisfied', () => {
    // Arrange
    const stars = [5, 4, 3, 2, 1];

    // Act
    const levels = stars.map((s) => levelFromStars(s));

    // Assert
    expect(levels).toEqual([VS, S, FS, D, VD]);
    expect(RATING_LEVELS.map(starsOfLevel)).toEqual([5, 4, 3, 2, 1]);
  });

  it('calls only dissatisfied and very-dissatisfied bad ratings', () => {
    // Arrange / Act
    const bad = RATING_LEVELS.filter(isBadRating);

    // Assert
    expect(bad).toEqual([D, VD]);
  });

  it('names the levels in the words of the national scheme', () => {
    // Arrange / Act
    const names = RATING_LEVELS.map((l) => LEVEL_NAMES_ZH[l]);

    // Assert
    expect(names).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  });
});
