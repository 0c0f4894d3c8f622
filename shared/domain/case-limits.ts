/**
 * How large a case item may grow, and the limits that keep it there. Pure.
 *
 * DynamoDB refuses an item over 400 KB, counted in UTF-8 bytes (a Chinese character is 3), and
 * every read and write of a case costs by its size, so the case item is kept far below that:
 * the worst case the input limits allow stays under CASE_ITEM_BUDGET_BYTES
 * (test/integration/case-item-size.test.ts drives it, on dynalite and on DynamoDB Local).
 *
 * What grows on a case and what bounds it:
 * - the one-time notice: at most MAX_PROBLEMS problems of at most PROBLEM_NOTE_MAX_CHARS each,
 *   stored once (on the notice; the history line of a return names the material codes only);
 * - returns for supplement: at most MAX_RETURNS per case (the window's pre-review and the
 *   departments' reviews together): a notice is meant to list everything at once (一次性告知);
 * - supplements that still leave something missing: at most MAX_INCOMPLETE_SUPPLEMENTS per
 *   notice, after which the applicant is asked to come to the window;
 * - SMS replies after the case was rated: at most MAX_UNCOUNTED_REPLIES in the history;
 * - everything else is one history entry per step the catalog bounds (acceptance, each
 *   department's decision per stage, the decision, the rating), with notes the schemas bound.
 */
import { ConflictError, LimitExceededError } from './errors';

/** DynamoDB's own limit on one item, in bytes. */
export const DYNAMODB_ITEM_MAX_BYTES = 400 * 1024;

/** What the worst case of a case item must stay under. */
export const CASE_ITEM_BUDGET_BYTES = 100 * 1024;

/** Problems in one notice (the request schemas say the same). */
export const MAX_PROBLEMS = 30;

/** Characters in one problem's note (the request schemas say the same). */
export const PROBLEM_NOTE_MAX_CHARS = 200;

/** Returns for supplement over the life of one case. */
export const MAX_RETURNS = 5;

/** Supplements to one notice that still leave something missing. */
export const MAX_INCOMPLETE_SUPPLEMENTS = 10;

/** SMS replies kept in the history after the case's rating (not counted): later ones are kept only as inbound SMS. */
export const MAX_UNCOUNTED_REPLIES = 10;

/** Bytes of a string as DynamoDB counts them: its UTF-8 encoding. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The size DynamoDB gives a value of an item as the document client writes it: strings by
 * UTF-8 bytes, numbers about 1 byte per 2 digits plus 1, booleans and null 1, lists and maps
 * 3 bytes plus 1 per element and their elements (names count as strings).
 */
export function valueBytes(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce<number>((n, v) => n + valueBytes(v), 0);
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + 1 + valueBytes(v), 3);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .reduce<number>((n, [k, v]) => n + 1 + utf8Bytes(k) + valueBytes(v), 3);
  }
  return 0; // functions and symbols are not written
}

/** The size of a whole item: each attribute's name and value. */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((n, [k, v]) => n + utf8Bytes(k) + valueBytes(v), 0);
}

/** Refuses an item DynamoDB would refuse, the same way whichever engine runs (dynalite counts characters). */
export function assertItemFits(item: Record<string, unknown>, what: string): void {
  const bytes = itemBytes(item);
  if (bytes > DYNAMODB_ITEM_MAX_BYTES) throw itemTooLarge(what, bytes);
}

export function itemTooLarge(what: string, bytes?: number): LimitExceededError {
  return new LimitExceededError(
    `${what} would be larger than the ${DYNAMODB_ITEM_MAX_BYTES} bytes one record may hold${bytes ? ` (${bytes} bytes)` : ''}: shorten the notes or texts of this request`,
    { limit: 'item-size', maxBytes: DYNAMODB_ITEM_MAX_BYTES, ...(bytes ? { bytes } : {}) },
  );
}

/** How many returns for supplement the case has had. */
export function returnsOf(history: readonly { action: string }[]): number {
  return history.filter((e) => e.action === 'return').length;
}

/** Refuses a return past MAX_RETURNS. */
export function assertMayReturnAgain(c: { caseNo: string; status: string; history: { action: string }[] }): void {
  const returns = returnsOf(c.history);
  if (returns >= MAX_RETURNS) {
    throw new ConflictError(
      `case ${c.caseNo} was already returned for supplement ${returns} times, the most a case may be: a notice lists every problem at once (一次性告知); decide the case instead`,
      { caseNo: c.caseNo, currentStatus: c.status, limit: 'returns', maxReturns: MAX_RETURNS },
    );
  }
}

/** Refuses an incomplete supplement past MAX_INCOMPLETE_SUPPLEMENTS since the notice was given. */
export function assertMaySupplementAgain(c: {
  caseNo: string;
  status: string;
  history: { action: string; to: string }[];
}): void {
  let incomplete = 0;
  for (let i = c.history.length - 1; i >= 0; i--) {
    const e = c.history[i];
    if (e.action !== 'supplement' || e.to !== 'supplement-required') break;
    incomplete++;
  }
  if (incomplete >= MAX_INCOMPLETE_SUPPLEMENTS) {
    throw new ConflictError(
      `case ${c.caseNo} was supplemented ${incomplete} times without everything the notice asks for: bring the missing materials to the window`,
      { caseNo: c.caseNo, currentStatus: c.status, limit: 'incomplete-supplements', max: MAX_INCOMPLETE_SUPPLEMENTS },
    );
  }
}
