/**
 * The schema of every path parameter, by name. A route's path template names its parameters
 * (`/cases/{caseNo}`); the HTTP layer validates each against its schema here before any
 * operation runs, so no value longer than a key may hold, and no character a key must not
 * carry, ever reaches the store. A path that names a parameter missing here fails the type
 * check (shared/http/operation.ts).
 */
import * as z from 'zod';

/** Letters, digits, '.', '-' and '_', up to `max` characters: what case numbers, task ids and codes are made of. */
function identifier(what: string, max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9._-]+$/, `must be ${what}: letters, digits, '.', '-' or '_'`);
}

/** YYYY-MM. */
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export const PATH_PARAMS = {
  caseNo: identifier('a case number such as ENV-20261203-0004', 40).describe('the case number (办件编号)'),
  code: identifier('a service item code', 64).describe('code of the service item'),
  id: identifier('a follow-up or complaint id', 64).describe('id of the follow-up or complaint'),
  taskId: identifier('a review task id', 128).describe('id of the review task: <caseNo>.<stage>.<department>'),
  month: z.string().regex(MONTH_RE, 'must be a month written YYYY-MM').describe('a China month, YYYY-MM'),
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be a year written YYYY')
    .describe('a calendar year, YYYY'),
  post: identifier('a window post code', 64).describe('code of the window post'),
  kind: identifier('a push kind', 16).describe(
    'what the SMS provider pushes: up (uplink replies) or report (delivery receipts)',
  ),
  job: identifier('a job name', 64).describe('name of a scheduled job (infra/schedules.ts)'),
} as const;

export type PathParamName = keyof typeof PATH_PARAMS;

/** An Idempotency-Key: up to 128 visible ASCII characters, so it always fits in a key. */
export const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,128}$/;

/** The Idempotency-Key header as a schema (for the OpenAPI document; the HTTP layer tests IDEMPOTENCY_KEY_RE). */
export const IDEMPOTENCY_KEY = z
  .string()
  .min(1)
  .max(128)
  .regex(IDEMPOTENCY_KEY_RE, 'must be 1 to 128 visible ASCII characters')
  .describe('makes a retry return the same case, never a second one');
