import { DomainError } from '../domain/errors';
import type { HttpResult } from './types';

export const PROBLEM_JSON = 'application/problem+json';

/**
 * The one place where errors become HTTP: a domain error keeps its status and message;
 * anything else is a 500 whose body carries no internals.
 */
export function problemResponse(error: unknown, instance?: string): HttpResult {
  if (error instanceof DomainError) {
    return {
      statusCode: error.status,
      headers: { 'content-type': PROBLEM_JSON },
      body: JSON.stringify({
        ...error.extra,
        type: `https://onewindow.example/problems/${error.name}`,
        title: error.title,
        status: error.status,
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
