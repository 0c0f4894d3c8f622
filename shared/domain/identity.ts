/**
 * Identity rules: who an applicant is (a person with one of five documents, or an organisation
 * with its 统一社会信用代码), the resident identity number (居民身份证号码, GB 11643-1999), the
 * unified social credit code (GB 32100-2015), mainland mobile numbers, which phone gets a case's
 * SMS, and the masks that keep personal data out of views and logs (structured fields and free text).
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

/**
 * "11010519491231002X" → "110***********002X": the first 3 and last 4 characters of a number of
 * 15 characters or more (resident ID, 统一社会信用代码, foreign permanent residence ID); the first
 * and last 3 of a shorter one (passport "E12345678" → "E*****678", permits); all stars below 8.
 */
export function maskId(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length >= 15) return maskMiddle(chars.join(''));
  if (chars.length >= 8) return chars[0] + '*'.repeat(chars.length - 4) + chars.slice(-3).join('');
  return '*'.repeat(chars.length);
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

// ---------------------------------------------------------------------------------------------
// Who applies: persons and their documents, organisations, agents
// ---------------------------------------------------------------------------------------------

/** The documents a person may apply with. */
export const PERSON_ID_TYPES = [
  'resident-id',
  'passport',
  'hk-macao-permit',
  'taiwan-permit',
  'foreign-permanent-residence',
] as const;
export type PersonIdType = (typeof PERSON_ID_TYPES)[number];

/** An organisation applies with its unified social credit code (统一社会信用代码). */
export const ORGANISATION_ID_TYPES = ['uscc'] as const;
export type OrganisationIdType = (typeof ORGANISATION_ID_TYPES)[number];

export const ID_TYPES = [...PERSON_ID_TYPES, ...ORGANISATION_ID_TYPES] as const;
export type IdType = (typeof ID_TYPES)[number];

/** What each document is called on a form or a notice. */
export const ID_TYPE_NAMES: Record<IdType, string> = {
  'resident-id': '居民身份证',
  passport: '护照',
  'hk-macao-permit': '港澳居民来往内地通行证',
  'taiwan-permit': '台湾居民来往大陆通行证',
  'foreign-permanent-residence': '外国人永久居留身份证',
  uscc: '统一社会信用代码',
};

export function isOrganisationIdType(idType: string): idType is OrganisationIdType {
  return (ORGANISATION_ID_TYPES as readonly string[]).includes(idType);
}

export function isPersonIdType(idType: string): idType is PersonIdType {
  return (PERSON_ID_TYPES as readonly string[]).includes(idType);
}

/**
 * The applicant as stored: a person (name, document, phone) or an organisation (its name, its
 * 统一社会信用代码 as `idNumber`, its legal representative 法定代表人, a contact phone).
 * Only the applicant's own view or the SMS port sees these in clear.
 */
export interface Applicant {
  name: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  /** The legal representative's name (法定代表人): organisations (idType "uscc") only. */
  legalRepresentative?: string;
}

/** The agent (经办人 / 代办人) who handles a case for the applicant: always a person. */
export interface Agent {
  name: string;
  idType: PersonIdType;
  idNumber: string;
  phone: string;
}

/**
 * Which phone gets the case's SMS (receipt, notices, completion, rating, one-time codes) and is
 * the one an SMS reply is matched by: the agent's when the case has an agent, else the applicant's.
 * The one place this is decided.
 */
export function smsPhone(party: { applicant: { phone: string }; agent?: { phone: string } }): string {
  return party.agent?.phone ?? party.applicant.phone;
}

/** A typed document number in its stored form: full-width folded, spaces removed, upper case. */
export function normalizeIdNumber(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * The text a number is hashed as (its keyed hash, PiiHasher): the resident ID number alone, as it
 * always was, and every other document prefixed with its type, so that the same characters on two
 * kinds of document never match each other.
 */
export function idHashInput(idType: IdType, idNumber: string): string {
  return idType === 'resident-id' ? idNumber : `${idType}:${idNumber}`;
}

/** GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The check character (GB 32100-2015) for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || !/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17))
    throw new RangeError('the check character needs 17 characters from 0-9A-HJ-NPQRTUWXY');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * What is wrong with a unified social credit code (统一社会信用代码, GB 32100-2015), or undefined
 * when it is valid: 18 characters from 0-9A-HJ-NPQRTUWXY, characters 3 to 8 the administrative
 * division code (digits), the last the check character over the first 17.
 */
export function usccProblem(code: string): string | undefined {
  if (code.length !== 18) return `a unified social credit code has 18 characters; this one has ${code.length}`;
  if (!USCC_RE.test(code))
    return 'a unified social credit code has only digits and the upper-case letters A-H, J-N, P, Q, R, T, U, W, X, Y (no I, O, S, V or Z)';
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return 'characters 3 to 8 of a unified social credit code are the administrative division code: 6 digits';
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return `the check character is ${code[17]} but the first 17 characters give ${expected}: a character is mistyped`;
  return undefined;
}

/** Whether a code is a valid unified social credit code (GB 32100-2015). */
export function isValidUscc(code: string): boolean {
  return usccProblem(code) === undefined;
}

/** An 18-character foreign permanent residence ID (2023): 9, then 16 digits, then the GB 11643 check. */
function foreignPermanentResidenceProblem(id: string, today?: string): string | undefined {
  if (id.length === 15) {
    return /^[A-Z]{3}\d{12}$/.test(id)
      ? undefined
      : 'a 15-character foreign permanent residence ID (before 2023) is 3 letters (the nationality) and 12 digits';
  }
  if (id.length !== 18)
    return `a foreign permanent residence ID has 18 characters (15 before 2023); this one has ${id.length}`;
  if (!id.startsWith('9')) return 'an 18-character foreign permanent residence ID begins with 9';
  const problem = residentIdProblem(id, today);
  return problem?.replace('a resident ID number', 'a foreign permanent residence ID');
}

/**
 * What is wrong with a document number of the given type, in words a person can act on, or
 * undefined when it is valid. The number is taken in its stored form (normalizeIdNumber).
 *  - resident-id: GB 11643-1999, 18 characters with its check digit;
 *  - passport: 5 to 17 letters and digits (ICAO 9303 document numbers; a Chinese passport is
 *    E, G or P and 8 characters more);
 *  - hk-macao-permit (港澳居民来往内地通行证): H (Hong Kong) or M (Macao) and 8 digits, or 10 on
 *    the 2013 card;
 *  - taiwan-permit (台湾居民来往大陆通行证): 8 digits on the 2015 card, 10 on the booklet before it;
 *  - foreign-permanent-residence (外国人永久居留身份证): 18 characters from 2023 (9, 16 digits, the
 *    GB 11643 check), or 15 before (3 letters and 12 digits);
 *  - uscc: GB 32100-2015, 18 characters with its check character.
 */
export function identityNumberProblem(idType: IdType, id: string, today?: string): string | undefined {
  switch (idType) {
    case 'resident-id':
      return residentIdProblem(id, today);
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(id)
        ? undefined
        : 'a passport number is 5 to 17 letters and digits, e.g. E12345678';
    case 'hk-macao-permit':
      return /^[HM](\d{8}|\d{10})$/.test(id)
        ? undefined
        : 'a Mainland Travel Permit for Hong Kong and Macao Residents number is H or M and 8 or 10 digits, e.g. H12345678';
    case 'taiwan-permit':
      return /^(\d{8}|\d{10})$/.test(id)
        ? undefined
        : 'a Mainland Travel Permit for Taiwan Residents number is 8 digits (10 on the booklet before 2015), e.g. 12345678';
    case 'foreign-permanent-residence':
      return foreignPermanentResidenceProblem(id, today);
    case 'uscc':
      return usccProblem(id);
  }
}

// ---------------------------------------------------------------------------------------------
// Free text: notes, complaint text, inquiry matter, return problems, decision reasons
// ---------------------------------------------------------------------------------------------

/** 18-character numbers shaped like a resident or foreign permanent residence ID, and 15-digit old ones. */
const TEXT_ID_RE = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
/** Unified social credit codes (the alphabet, digits 3 to 8), in either case. */
const TEXT_USCC_RE = /(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])/gi;
/** Old foreign permanent residence IDs: 3 letters and 12 digits. */
const TEXT_FOREIGN_RE = /(?<![0-9A-Za-z])[A-Za-z]{3}\d{12}(?![0-9A-Za-z])/g;
/** Mainland mobile numbers, with an optional +86 / 0086 / 86 and spaces or hyphens between the groups. */
const TEXT_MOBILE_RE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;

/**
 * Free text as every view and log shows it: ID numbers (resident ID, foreign permanent residence,
 * 统一社会信用代码) masked like maskId, mainland mobile numbers like maskPhone; the rest unchanged.
 * "请联系13812345678" → "请联系138****5678". The one function for free text.
 */
export function maskFreeText(text: string): string {
  return text
    .replace(TEXT_ID_RE, (m) => maskId(m))
    .replace(TEXT_USCC_RE, (m) => maskId(m))
    .replace(TEXT_FOREIGN_RE, (m) => maskId(m))
    .replace(TEXT_MOBILE_RE, (m) => maskPhone(m));
}

/** maskFreeText for an optional value. */
export function maskOptionalText<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : maskFreeText(text)) as T;
}
