/**
 * The checks the pages make before sending: the API's own zod schema for a submission (the
 * same code that validates it on the server, so the field names and rules match), and the
 * 统一社会信用代码 check character for organisations.
 */
import { SubmitCaseBody } from '../../../functions/submission/schemas';
import { issuesToProblems } from '../../../shared/http/validation';
import { isValidMobile, residentIdProblem } from '../../../shared/domain/identity';
import type { FieldProblem } from '../api/types';

export function submissionProblems(body: unknown): FieldProblem[] {
  const result = SubmitCaseBody.safeParse(body);
  return result.success ? [] : issuesToProblems(result.error.issues);
}

/** Whether the API's submission schema takes organisations (idType "uscc") and agents yet (issue 10). */
const applicantShape = SubmitCaseBody.shape.applicant.shape as Record<
  string,
  { safeParse(v: unknown): { success: boolean } }
>;
export const ACCEPTS_ORGANISATIONS = applicantShape.idType.safeParse('uscc').success;
export const ACCEPTS_AGENTS = 'agent' in SubmitCaseBody.shape;

/** GB 32100-2015: 18 characters from 0-9A-HJ-NPQRTUWXY, the last a check over the first 17. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

export function usccProblem(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return `统一社会信用代码为18位，当前为${code.length}位`;
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return '统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）';
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return `校验码应为 ${expected}，请核对是否有字符输错`;
  return undefined;
}

export function idNumberProblem(input: string): string | undefined {
  const id = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const problem = residentIdProblem(id);
  return problem ? `身份证号码有误：${problem}` : undefined;
}

export function mobileProblem(input: string): string | undefined {
  return isValidMobile(input) ? undefined : '请输入11位中国大陆手机号码（1开头）';
}
