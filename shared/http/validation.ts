import * as z from 'zod';
import type { ZodType } from 'zod';
import { ValidationError, type FieldProblem } from '../domain/errors';

/** Turns zod issues into field problems a person can act on ("applicant.phone: ..."). */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldProblem[] {
  return issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('');
    const field = [prefix, path].filter(Boolean).join(prefix && path && !path.startsWith('[') ? '.' : '');
    return { field: field || prefix || 'body', message: describeIssue(issue) };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `has unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Parses `value` with `schema`: the value, or the problems naming every bad field. */
export function validate<T>(schema: ZodType<T>, value: unknown, prefix = ''): Validated<T> {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: issuesToProblems(result.error.issues, prefix) };
}

/** Parses `value` with `schema`, or throws a ValidationError naming every bad field. */
export function parseOrThrow<T>(schema: ZodType<T>, value: unknown, prefix = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesToProblems(result.error.issues, prefix));
  return result.data;
}
