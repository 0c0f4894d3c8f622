/**
 * Domain errors say what went wrong, by meaning (invalid, not found, not allowed, conflict),
 * with a stable name and a message a person can act on. They know nothing of HTTP: the HTTP
 * layer alone (shared/http/problem.ts) maps each kind to a status and application/problem+json.
 */
export interface FieldProblem {
  /** Dotted path of the field, e.g. "applicant.phone". */
  field: string;
  /** What is wrong with it, in words. */
  message: string;
}

/** What kind of failure: the HTTP layer maps each kind to one status. */
export type ErrorKind =
  'invalid' | 'not-found' | 'unauthenticated' | 'forbidden' | 'conflict' | 'too-many' | 'too-large';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly title: string;
  /** Extra members for the problem document (never internals). */
  readonly extra: Record<string, unknown> = {};
}

export class ValidationError extends DomainError {
  readonly kind = 'invalid';
  readonly title = 'Invalid request';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ValidationError';
    this.extra.errors = problems;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  readonly title = 'Not found';
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly title = 'Unauthorized';
  constructor(message = 'a valid bearer token is required') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly title = 'Forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The action is not allowed in the case's (or task's) current state. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly title = 'Conflict';
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
    Object.assign(this.extra, extra);
  }
}

/** Too many tries (wrong query codes, code requests): refused until the window ends, even when right. */
export class TooManyAttemptsError extends DomainError {
  readonly kind = 'too-many';
  readonly title = 'Too many attempts';
  constructor(
    message: string,
    /** Seconds until the window ends and a try is allowed again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyAttemptsError';
    this.extra.retryAfter = retryAfterSeconds;
  }
}

/** What the request would store is over a limit of the store (an item's 400 KB): not retryable as it is. */
export class LimitExceededError extends DomainError {
  readonly kind = 'too-large';
  readonly title = 'Over a storage limit';
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'LimitExceededError';
    Object.assign(this.extra, extra);
  }
}
