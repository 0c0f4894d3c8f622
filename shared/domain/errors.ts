/**
 * Domain errors: each has a stable name, an HTTP status and a message a person can act on.
 * One middleware (shared/http/errors.ts) turns them into application/problem+json.
 */
export interface FieldProblem {
  /** Dotted path of the field, e.g. "applicant.phone". */
  field: string;
  /** What is wrong with it, in words. */
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Extra members for the problem document (never internals). */
  readonly extra: Record<string, unknown> = {};
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ValidationError';
    this.extra.errors = problems;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  constructor(message = 'a valid bearer token is required') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The action is not allowed in the case's (or task's) current state. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
    Object.assign(this.extra, extra);
  }
}
