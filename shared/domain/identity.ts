/**
 * Identity rules: the resident identity number (居民身份证号码, GB 11643-1999), mainland
 * mobile numbers, and the masks that keep personal data out of public views.
 * Pure: no I/O, no process.env, no clock (pass `today` to rule out future birth dates).
 */

/** ISO 7064 MOD 11-2 weights of the first 17 digits: 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character for each remainder 0..10 of the weighted sum mod 11. */
const CHECK_CHARS = '10X98765432';

const MIN_BIRTH = '19000101';
const MAX_BIRTH = '21001231';

/** The check character (0-9 or X) for the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * What is wrong with a resident ID number, in words a person can act on, or undefined when it is
 * valid. Checked in order: length, characters, birth date, check digit. The number is taken as
 * given (upper-case X); use normalizeResidentId for what a person types.
 * @param today optional China date YYYY-MM-DD: a birth date after it is refused.
 */
export function residentIdProblem(id: string, today?: string): string | undefined {
  if (id.length !== 18) {
    const old =
      id.length === 15 && /^\d{15}$/.test(id) ? ' (15-digit first-generation numbers are no longer accepted)' : '';
    return `a resident ID number has 18 characters; this one has ${id.length}${old}`;
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    return /^\d{17}x$/.test(id)
      ? 'the check character must be an upper-case X'
      : 'a resident ID number is 17 digits followed by a digit or X; this one has other characters';
  }
  const birth = id.slice(6, 14);
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  if (!isCalendarDate(y, m, d)) return `the birth date ${birth} (characters 7 to 14) is not a real date`;
  if (birth < MIN_BIRTH || birth > MAX_BIRTH)
    return `the birth date ${birth} (characters 7 to 14) is outside 1900 to 2100`;
  if (today !== undefined && birth > today.replace(/-/g, ''))
    return `the birth date ${birth} (characters 7 to 14) is in the future`;
  const expected = residentIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected) {
    return `the check digit is ${id[17]} but the first 17 digits give ${expected}: a character is mistyped`;
  }
  return undefined;
}

/** Whether an 18-character resident ID number is valid (GB 11643-1999). */
export function isValidResidentId(id: string, today?: string): boolean {
  return residentIdProblem(id, today) === undefined;
}

/**
 * A typed resident ID number in its stored form: spaces removed, full-width characters folded,
 * a lower-case x upper-cased. Undefined when the result is not valid.
 */
export function normalizeResidentId(input: string, today?: string): string | undefined {
  const id = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return isValidResidentId(id, today) ? id : undefined;
}

const MOBILE_RE = /^1[3-9]\d{9}$/;

/**
 * A mainland mobile number as its 11 digits, from what a person types: spaces, hyphens, dots and
 * brackets are ignored, full-width digits folded, and a +86, 0086 or 86 prefix removed.
 * Undefined when it is not a mainland mobile number.
 */
export function normalizeMobile(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .trim()
    .replace(/[\s\-.()]/g, '');
  const m = /^(?:\+86|0086|86)?(\d{11})$/.exec(compact);
  return m && MOBILE_RE.test(m[1]) ? m[1] : undefined;
}

/** Whether the input is a mainland mobile number (1, then 3-9, then 9 digits), in any form normalizeMobile accepts. */
export function isValidMobile(input: string): boolean {
  return normalizeMobile(input) !== undefined;
}

/** Keeps the first 3 and last 4 characters and stars the rest; all stars when too short to keep any. */
function maskMiddle(s: string): string {
  const chars = Array.from(s);
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

/** "13812341234" → "138****1234". Other forms of a mobile number are normalised first. */
export function maskPhone(phone: string): string {
  return maskMiddle(normalizeMobile(phone) ?? phone.replace(/\s+/g, ''));
}

/** "11010519491231002X" → "110***********002X": the first 3 and last 4 characters. */
export function maskId(id: string): string {
  return maskMiddle(id.trim());
}

/**
 * "张三" → "张*", "欧阳娜娜" → "欧***": the first character, then a star for each other one.
 * A name in Latin letters keeps its first letter and gets three stars: "Anna Li" → "A***".
 * A one-character name is a single star.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (/^[A-Za-z\u00C0-\u024F]/.test(chars[0])) return `${chars[0]}***`;
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
