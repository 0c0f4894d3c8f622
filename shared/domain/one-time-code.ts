/**
 * One-time SMS codes (短信验证码) and the limits that stop guessing and flooding. Pure.
 *
 * A code is 6 digits, valid 5 minutes, good for one use, sent by SMS: to the phone of a case
 * (a lost query code; withdrawing, which cannot be undone) or to a phone an applicant names
 * (一户式查询, every case of that phone). Only a keyed hash of the code is stored, with a TTL;
 * the code itself is in the SMS alone. A new code for the same case or phone replaces the one
 * before it.
 *
 * The limits: 5 wrong codes (query or one-time) for a case or a phone in 15 minutes lock it
 * (429, even for the right code, until the window ends); at most 1 code a minute and 5 an hour
 * per phone; and every public write is counted per client (its source address).
 */
import { ForbiddenError, type FieldProblem } from './errors';
import { caseCodeNotice, phoneCodeNotice } from './sms-templates';

export const ONE_TIME_CODE_DIGITS = 6;
export const ONE_TIME_CODE_TTL_SECONDS = 5 * 60;
export const ONE_TIME_CODE_RE = /^\d{6}$/;

/** The header that carries a one-time code (never the URL: URLs land in access logs). */
export const ONE_TIME_CODE_HEADER = 'x-one-time-code';

/** Wrong codes allowed per case or phone in one window before it locks (the query code's lock, shared). */
export const CODE_TRY_LIMIT = { max: 5, windowMinutes: 15 } as const;

/** Codes sent per phone: at most 1 a minute and 5 an hour (rolling windows). */
export const CODE_SEND_LIMITS = [
  { scope: 'phone', max: 1, seconds: 60 },
  { scope: 'phone', max: 5, seconds: 3600 },
] as const;

/** Public writes per client (source address) and window, unless CLIENT_WRITE_LIMIT says otherwise. */
export const DEFAULT_CLIENT_WRITE_LIMIT = { max: 30, windowMinutes: 1 };

/** What a code opens: a case (by number) or a phone's cases (by the phone's keyed hash). */
export type CodeSubject = { caseNo: string } | { phoneHash: string };

/** The subject as it is written in keys: `case#<caseNo>` or `phone#<hash>` (never a phone in clear). */
export function subjectKey(subject: CodeSubject): string {
  return 'caseNo' in subject ? `case#${subject.caseNo}` : `phone#${subject.phoneHash}`;
}

/** The subject of a key written by subjectKey; undefined for anything else. */
export function subjectOfKey(key: string): CodeSubject | undefined {
  const m = /^(case|phone)#(.+)$/.exec(key);
  if (!m) return undefined;
  return m[1] === 'case' ? { caseNo: m[2] } : { phoneHash: m[2] };
}

/** What the keyed hash is taken of: the subject and the code, so a code for one case opens no other. */
export function oneTimeCodeHashInput(subject: CodeSubject, code: string): string {
  return `one-time-code#${subjectKey(subject)}#${code}`;
}

/**
 * What the code is derived from: the subject and a random nonce stored with the code's hash.
 * The code is a keyed hash of this, so the function that sends the SMS (notify) can compute it
 * from the stored nonce without the code ever being stored or carried by an event.
 */
export function oneTimeCodeInput(subject: CodeSubject, nonce: string): string {
  return `one-time-code-nonce#${subjectKey(subject)}#${nonce}`;
}

/** Six digits from a keyed hash (base64url of at least 4 bytes); the bias of 2^32 mod 10^6 is below 1 in 4,000. */
export function oneTimeCodeFromDigest(digest: string): string {
  const bytes = Buffer.from(digest, 'base64url');
  if (bytes.length < 4) throw new RangeError('the digest is too short for a one-time code');
  return String(bytes.readUInt32BE(0) % 10 ** ONE_TIME_CODE_DIGITS).padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** As a person types it: spaces and dashes dropped. Undefined when it cannot be a code. */
export function normalizeOneTimeCode(typed: string | undefined): string | undefined {
  if (typeof typed !== 'string' || typed.length > 20) return undefined;
  const code = typed.replace(/[\s-]/g, '');
  return ONE_TIME_CODE_RE.test(code) ? code : undefined;
}

/** The SMS with a code for one case: within one 70-character segment for the longest case number. */
export function caseCodeSms(code: string, caseNo: string): string {
  return caseCodeNotice(code, caseNo);
}

/** The SMS with a code for a phone's cases (一户式查询). */
export function phoneCodeSms(code: string): string {
  return phoneCodeNotice(code);
}

/** Withdrawal cannot be undone: it needs a fresh one-time code, and a query code alone is refused. */
export class OneTimeCodeRequiredError extends ForbiddenError {
  constructor(action: string, caseNo: string) {
    super(
      `${action} cannot be undone, so it needs a fresh one-time code: ask for one (POST /cases/${caseNo}/one-time-code, ` +
        `sent by SMS to the case's phone) and send it in the X-One-Time-Code header; a query code alone is not enough`,
    );
    this.name = 'OneTimeCodeRequired';
    const problems: FieldProblem[] = [
      { field: 'X-One-Time-Code', message: `is required for ${action.toLowerCase()}: a fresh code sent by SMS` },
    ];
    this.extra.errors = problems;
  }
}
