/**
 * The checks the pages make before sending: the API's own zod schema for a submission (the
 * same code that validates it on the server, so the field names and rules match), and the
 * domain's own document checks (shared/domain/identity.ts: GB 11643 check digit, the
 * 统一社会信用代码 check character of GB 32100-2015, each document's format), with a Chinese lead-in.
 */
import { SubmitCaseBody } from '../../../functions/submission/schemas';
import { issuesToProblems } from '../../../shared/http/validation';
import {
  ID_TYPE_NAMES,
  identityNumberProblem,
  isValidMobile,
  normalizeIdNumber,
  type IdType,
} from '../../../shared/domain/identity';
import type { FieldProblem } from '../api/types';

export function submissionProblems(body: unknown): FieldProblem[] {
  const result = SubmitCaseBody.safeParse(body);
  return result.success ? [] : issuesToProblems(result.error.issues);
}

/** The problem of a document number of the given type, as the server words it, after a Chinese lead-in. */
export function documentProblem(idType: IdType, input: string): string | undefined {
  const problem = identityNumberProblem(idType, normalizeIdNumber(input));
  return problem ? `${ID_TYPE_NAMES[idType]}${idType === 'uscc' ? '' : '号码'}有误：${problem}` : undefined;
}

export function usccProblem(input: string): string | undefined {
  return documentProblem('uscc', input);
}

export function idNumberProblem(input: string): string | undefined {
  return documentProblem('resident-id', input);
}

export function mobileProblem(input: string): string | undefined {
  return isValidMobile(input) ? undefined : '请输入11位中国大陆手机号码（1开头）';
}
