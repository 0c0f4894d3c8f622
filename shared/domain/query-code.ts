/**
 * The query code (查询码) on every receipt: what opens a case's public routes, with its number.
 * Ten characters from an alphabet of 32 without look-alikes (no 0/O, no 1/I): 50 bits, far past
 * guessing at 5 tries per 15 minutes. It is derived from a keyed hash of the case number and a
 * random salt stored on the case, so the server can show it again to the client that made the
 * case (an idempotent retry) without storing the code itself; the code is never in a key, a log
 * or a view.
 */

/** 32 characters: the digits 2–9 and the capitals without I and O. */
export const QUERY_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const QUERY_CODE_LENGTH = 10;
export const QUERY_CODE_RE = /^[2-9A-HJ-NP-Z]{10}$/;

/** What the keyed hash is taken of: the case number and its salt. */
export function queryCodeInput(caseNo: string, salt: string): string {
  return `query-code#${caseNo}#${salt}`;
}

/** The code from a keyed hash (base64url of at least 10 bytes): 5 bits of each byte. */
export function queryCodeFromDigest(digest: string): string {
  const bytes = Buffer.from(digest, 'base64url');
  if (bytes.length < QUERY_CODE_LENGTH) throw new RangeError('the digest is too short for a query code');
  let code = '';
  for (let i = 0; i < QUERY_CODE_LENGTH; i++) code += QUERY_CODE_ALPHABET[bytes[i] & 31];
  return code;
}

/** As a person types it: spaces and dashes dropped, lower case raised. Undefined when it cannot be a code. */
export function normalizeQueryCode(typed: string | undefined): string | undefined {
  if (typeof typed !== 'string' || typed.length > 40) return undefined;
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return QUERY_CODE_RE.test(code) ? code : undefined;
}

/** Compares two codes in time that does not depend on where they differ. */
export function sameCode(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Written for reading aloud and typing: ABCDE-FGHJK. */
export function formatQueryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The query code of a case, from its salt and the keyed hash; undefined for a case without one. */
export function queryCodeOfCase(
  c: { caseNo: string; queryCodeSalt?: string },
  hash: (value: string) => string,
): string | undefined {
  return c.queryCodeSalt ? queryCodeFromDigest(hash(queryCodeInput(c.caseNo, c.queryCodeSalt))) : undefined;
}

/** Whether a code as typed opens the case. */
export function queryCodeOpens(
  c: { caseNo: string; queryCodeSalt?: string },
  typed: string | undefined,
  hash: (value: string) => string,
): boolean {
  const code = normalizeQueryCode(typed);
  const real = queryCodeOfCase(c, hash);
  return code !== undefined && real !== undefined && sameCode(code, real);
}
