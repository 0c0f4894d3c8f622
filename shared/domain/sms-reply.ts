/**
 * Reading an SMS reply to the completion notice (短信评价): which of the five levels of the
 * national good/bad rating scheme (好差评) the applicant chose, and which case they named.
 * Pure: no I/O, no clock.
 *
 * The notice asks for a digit: 1 非常满意 … 5 非常不满意. People type the digit, a full-width
 * digit, a circled or keycap digit, the level's words, or a common variant, wrapped in
 * spaces, punctuation, emoji, thanks, or the case number. The rules, in order:
 *
 * 1. The text is NFKC-normalised (full-width digits, letters and punctuation become ASCII;
 *    ① becomes 1).
 * 2. Case numbers are taken out first, so their digits are never read as a rating:
 *    letters (1–9), a dash, 8 digits, a dash, 4–6 digits; any case; the dashes may be
 *    missing. The whole digit run belongs to the case number: "ENV-20261130-00425" is case
 *    …-00425, not case …-0042 rated 5. Two different case numbers make the reply unreadable
 *    (we cannot tell which case the rating is for).
 * 3. Stars ("5星", "五星好评", "一星差评") use Guangdong's mapping: 5 stars is 非常满意, 1 star is
 *    非常不满意 ("一星期" is a week, not a star).
 * 4. Words are matched longest first at each position, so 非常不满意 is never read as 不满意,
 *    nor 不满意 as 满意; intensifiers (很/特别/十分/超…满意) mean 非常满意; any negated
 *    满意 (不太满意, 不是很满意, 不怎么满意…) is a bad rating, 不满意.
 * 5. ASCII digits anywhere ("回复1", "我选2", "1。") are the menu digit. A digit outside 1–5
 *    (0, 6–9) or a run of several digits ("12", "10") makes the reply unreadable.
 * 6. A Chinese numeral 一…五 (or 壹…伍) counts only when it is alone, once filler such as
 *    回复/我选/谢谢, punctuation, spaces and emoji are set aside ("一般", "一下" are not ratings).
 * 7. Exactly one distinct level must remain; none or two different ones ("1或者2",
 *    "满意又不满意", "很好但是不满意") make the reply unreadable, and the caller sends the
 *    clarification SMS. Repeating the same level ("1 非常满意") is fine.
 *
 * Decisions on replies that could go either way:
 * - 好评 → satisfied: it says "good" without an intensifier, and the good side of the scheme
 *   spans three levels; reading it as the top level would inflate 非常满意. 差评 → dissatisfied
 *   (the milder of the two bad levels; a follow-up happens for either).
 * - "1分", "5分", 打分/评分 with a digit → unreadable: as a score, 5 is the best, but on our menu
 *   5 is the worst. Asking again costs one SMS; a wrong reading costs a false 差评 or a
 *   hidden one. 满分 (full marks) is unambiguous → very satisfied.
 * - 不太满意 and every other negated 满意 → dissatisfied: a polite way to complain. A false
 *   bad rating costs a follow-up call; a missed one hides a complaint.
 * - 一般, 还行, 还可以, 比较满意, 还算满意 → fairly satisfied (the middle level).
 * - "满意，但是等太久了" → satisfied: the level is stated; the comment carries no level.
 * - "TD"/"退订" (unsubscribe), "ok", "谢谢", "好的" alone → unreadable: they carry no level.
 *   Opt-out is the carrier's and the SMS port's business, not a rating.
 */
import { RATING_LEVELS, type RatingLevel } from './case';
import { lookup } from './lookup';

export type ParsedReply =
  { kind: 'rating'; level: RatingLevel; caseNo?: string } | { kind: 'unreadable'; caseNo?: string };

export type RatingDigit = 1 | 2 | 3 | 4 | 5;

/** The five levels in the words the national scheme and the SMS use. */
export const LEVEL_NAMES_ZH: Readonly<Record<RatingLevel, string>> = {
  'very-satisfied': '非常满意',
  satisfied: '满意',
  'fairly-satisfied': '基本满意',
  dissatisfied: '不满意',
  'very-dissatisfied': '非常不满意',
};

/** The menu digit of the completion SMS: 1 非常满意 … 5 非常不满意. Undefined outside 1–5. */
export function levelFromDigit(n: number): RatingLevel | undefined {
  return Number.isInteger(n) && n >= 1 && n <= 5 ? RATING_LEVELS[n - 1] : undefined;
}

/** The menu digit of a level: very-satisfied 1 … very-dissatisfied 5. */
export function digitOfLevel(level: RatingLevel): RatingDigit {
  return (RATING_LEVELS.indexOf(level) + 1) as RatingDigit;
}

/** Stars as Guangdong's interface counts them: 5 very-satisfied … 1 very-dissatisfied. */
export function levelFromStars(stars: number): RatingLevel | undefined {
  return Number.isInteger(stars) && stars >= 1 && stars <= 5 ? RATING_LEVELS[5 - stars] : undefined;
}

export function starsOfLevel(level: RatingLevel): RatingDigit {
  return (5 - RATING_LEVELS.indexOf(level)) as RatingDigit;
}

/** 差评: the two bad levels, each verified, fixed or explained, and followed up. */
export function isBadRating(level: RatingLevel): boolean {
  return level === 'dissatisfied' || level === 'very-dissatisfied';
}

/** A case number inside free text: letters, 8-digit date, sequence; dashes optional. */
const CASE_NO_IN_TEXT = /(?<![A-Za-z])([A-Za-z]{1,9})[-‐‑‒–—_]?(\d{8})[-‐‑‒–—_]?(\d{4,6})(?!\d)/g;

/** Stars: "5星", "五颗星", "五星好评". Not "一星期" (a week), not part of a longer number. */
const STARS_IN_TEXT = /(?<!\d)([1-5一二三四五])\s*颗?星(?!期)(?:好评|差评)?/g;

/** A score rather than a menu digit: "5分", 打分, 评分. Read as ambiguous. */
const SCORE_IN_TEXT = /\d\s*分|打分|评分|分数/;

const NUMERALS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  壹: 1,
  贰: 2,
  叁: 3,
  肆: 4,
  伍: 5,
};

const VERY = ['非常', '特别', '十分', '很', '超级', '超', '太', '极其', '极', '相当', '好', '真的很', '真的非常'];
const SOFT_NEGATION = [
  '不太',
  '不是很',
  '不是太',
  '不是特别',
  '不是非常',
  '不是十分',
  '不怎么',
  '不大',
  '不够',
  '不很',
  '不甚',
  '并不',
  '不是',
];

/**
 * Words and phrases, each with the level it states (null: a set phrase that only looks like
 * one, such as 不好意思 "excuse me"). Matched longest first at each position.
 */
const WORD_LEVELS: ReadonlyArray<readonly [string, RatingLevel | null]> = (() => {
  const table: Array<[string, RatingLevel | null]> = [
    ['不好意思', null],
    ['满意', 'satisfied'],
    ['好评', 'satisfied'],
    ['不错', 'satisfied'],
    ['挺好', 'satisfied'],
    ['蛮好', 'satisfied'],
    ['没有不满意', 'satisfied'],
    ['没什么不满意', 'satisfied'],
    ['没啥不满意', 'satisfied'],
    ['满分', 'very-satisfied'],
    ['很不错', 'very-satisfied'],
    ['非常不错', 'very-satisfied'],
    ['非常好', 'very-satisfied'],
    ['特别好', 'very-satisfied'],
    ['很好', 'very-satisfied'],
    ['太好了', 'very-satisfied'],
    ['超好', 'very-satisfied'],
    ['基本满意', 'fairly-satisfied'],
    ['基本上满意', 'fairly-satisfied'],
    ['比较满意', 'fairly-satisfied'],
    ['还算满意', 'fairly-satisfied'],
    ['大体满意', 'fairly-satisfied'],
    ['一般', 'fairly-satisfied'],
    ['一般般', 'fairly-satisfied'],
    ['还行', 'fairly-satisfied'],
    ['还可以', 'fairly-satisfied'],
    ['还好', 'fairly-satisfied'],
    ['凑合', 'fairly-satisfied'],
    ['马马虎虎', 'fairly-satisfied'],
    ['不满意', 'dissatisfied'],
    ['不满', 'dissatisfied'],
    ['差评', 'dissatisfied'],
    ['不好', 'dissatisfied'],
    ['不太好', 'dissatisfied'],
    ['不行', 'dissatisfied'],
    ['一点也不满意', 'very-dissatisfied'],
    ['一点都不满意', 'very-dissatisfied'],
    ['很差', 'very-dissatisfied'],
    ['非常差', 'very-dissatisfied'],
    ['特别差', 'very-dissatisfied'],
    ['太差', 'very-dissatisfied'],
    ['极差', 'very-dissatisfied'],
    ['超差', 'very-dissatisfied'],
    ['很不好', 'very-dissatisfied'],
    ['非常不好', 'very-dissatisfied'],
    ['特别不好', 'very-dissatisfied'],
    ['太不好', 'very-dissatisfied'],
  ];
  for (const v of VERY) {
    table.push([`${v}满意`, 'very-satisfied'], [`${v}不满意`, 'very-dissatisfied']);
  }
  for (const n of SOFT_NEGATION) table.push([`${n}满意`, 'dissatisfied']);
  const byWord = new Map<string, RatingLevel | null>();
  for (const [w, l] of table) if (!byWord.has(w)) byWord.set(w, l);
  return [...byWord.entries()].sort((a, b) => b[0].length - a[0].length);
})();

/** Filler around a lone Chinese numeral: "回复三", "我选二", "谢谢，五". */
const FILLER = /回复|我选|选择|选|评价|评|谢谢|感谢|好的|我|给|号|回|嗯/g;
/** Spaces, punctuation, symbols and emoji (with their joiners, variation selectors, keycaps). */
const NOISE = /[\s\p{P}\p{S}\p{Extended_Pictographic}\u200b-\u200d]|[\ufe0e\ufe0f\u20e3]/gu;

/** Reads one SMS reply. Never throws: anything it cannot read with certainty is 'unreadable'. */
export function parseReply(text: string): ParsedReply {
  let rest = typeof text === 'string' ? text.normalize('NFKC') : '';

  const caseNos = new Set<string>();
  rest = rest.replace(CASE_NO_IN_TEXT, (_m, letters: string, date: string, seq: string) => {
    caseNos.add(`${letters.toUpperCase()}-${date}-${seq}`);
    return ' ';
  });
  if (caseNos.size > 1) return { kind: 'unreadable' };
  const caseNo = caseNos.size === 1 ? [...caseNos][0] : undefined;
  const unreadable = (): ParsedReply => (caseNo ? { kind: 'unreadable', caseNo } : { kind: 'unreadable' });

  const levels = new Set<RatingLevel>();
  rest = rest.replace(STARS_IN_TEXT, (_m, n: string) => {
    levels.add(levelFromStars(NUMERALS[n] ?? Number(n)) as RatingLevel);
    return ' ';
  });

  if (SCORE_IN_TEXT.test(rest)) return unreadable();

  let leftover = '';
  for (let i = 0; i < rest.length;) {
    const hit = WORD_LEVELS.find(([word]) => rest.startsWith(word, i));
    if (hit) {
      if (hit[1]) levels.add(hit[1]);
      leftover += ' ';
      i += hit[0].length;
    } else {
      leftover += rest[i];
      i += 1;
    }
  }

  for (const [run] of leftover.matchAll(/\d+/g)) {
    const level = run.length === 1 ? levelFromDigit(Number(run)) : undefined;
    if (!level) return unreadable();
    levels.add(level);
  }

  const core = leftover.replace(/\d/g, '').replace(NOISE, '').replace(FILLER, '');
  const numeral = lookup(NUMERALS, core);
  if (core.length === 1 && numeral !== undefined) {
    levels.add(levelFromDigit(numeral) as RatingLevel);
  }

  if (levels.size !== 1) return unreadable();
  const [level] = levels;
  return caseNo ? { kind: 'rating', level, caseNo } : { kind: 'rating', level };
}
