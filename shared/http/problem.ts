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

/**
 * The one place where errors become HTTP: a domain error keeps its status and message;
 * anything else is a 500 whose body carries no internals.
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
