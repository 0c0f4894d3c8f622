import { DomainError, TooManyAttemptsError, type ErrorKind } from '../domain/errors';
import type { HttpResult } from './types';

export const PROBLEM_JSON = 'application/problem+json';

/** The one mapping of a domain error's kind to an HTTP status. */
export const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-many': 429,
  // A request whose result would not fit in the store (an item over 400 KB): well formed, not storable.
  'too-large': 422,
};

/** Error names of a store or service that is throttled, failing or out of reach: worth a retry. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'LimitExceededException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** Seconds a client is asked to wait before retrying a request a store or port failure stopped. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * True for a failure of the store or of a port (DynamoDB, EventBridge, Step Functions, the SMS
 * carrier) that a retry can get past: throttling, a 5xx, a timeout, a reset or refused connection.
 */
export function isTransientFailure(error: unknown): boolean {
  const e = error as
    | { name?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown }
    | null
    | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return e.cause !== undefined && e.cause !== error && isTransientFailure(e.cause);
}

/**
 * The one place where errors become HTTP: a domain error keeps its status and message; a store
 * or port failure a retry can get past is a 503 with Retry-After; anything else is a 500. Neither
 * body carries internals.
 */
export function problemResponse(error: unknown, instance?: string): HttpResult {
  if (error instanceof DomainError) {
    const status = STATUS_OF[error.kind];
    return {
      statusCode: status,
      headers: {
        'content-type': PROBLEM_JSON,
        ...(error instanceof TooManyAttemptsError ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
      },
      body: JSON.stringify({
        ...error.extra,
        type: `https://onewindow.example/problems/${error.name}`,
        title: error.title,
        status,
        detail: error.message,
        ...(instance ? { instance } : {}),
      }),
    };
  }
  if (isTransientFailure(error)) {
    return {
      statusCode: 503,
      headers: { 'content-type': PROBLEM_JSON, 'retry-after': String(RETRY_AFTER_SECONDS) },
      body: JSON.stringify({
        type: 'https://onewindow.example/problems/ServiceUnavailable',
        title: 'Service unavailable',
        status: 503,
        detail: `the store or a service behind it did not answer; nothing you sent is half-done: retry in ${RETRY_AFTER_SECONDS} s`,
        ...(instance ? { instance } : {}),
      }),
    };
  }
  return {
    statusCode: 500,
    headers: { 'content-type': PROBLEM_JSON },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: 'something went wrong on our side; the request can be retried',
    }),
  };
}
