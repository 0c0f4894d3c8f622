/**
 * How an applicant opens their own case on the public routes: the one place that knows it.
 *
 * Today the API takes the case number with the last 4 digits of the applicant's mobile number
 * (`?phone=1234` on GET, `phone` in the body of supplements, withdraw and rating). Issue 10
 * replaces that with a query code (查询码) sent in the `X-Query-Code` header; switching means
 * changing this module (its label, its check, and where the value goes), not the pages.
 */
export interface CaseCredential {
  /** What the applicant typed: today the phone's last 4 digits. */
  secret: string;
}

export const CREDENTIAL_LABEL = '手机号码后4位';
export const CREDENTIAL_HINT = '申请时填写的手机号码的最后4位数字';

/** A problem with what was typed, in words, or undefined when it can be sent. */
export function credentialProblem(secret: string): string | undefined {
  return /^\d{4}$/.test(secret.trim()) ? undefined : '请输入4位数字';
}

/** The query string a GET of the case needs. */
export function credentialQuery(c: CaseCredential): string {
  return `?phone=${encodeURIComponent(c.secret.trim())}`;
}

/** Headers every public case route needs (issue 10: X-Query-Code). */
export function credentialHeaders(_c: CaseCredential): Record<string, string> {
  return {};
}

/** The body of a public case write, with the credential where the API reads it. */
export function withCredential<B extends object>(body: B, c: CaseCredential): B & { phone: string } {
  return { ...body, phone: c.secret.trim() };
}

/** The credential of a freshly submitted case, from what the applicant typed into the form. */
export function credentialFromSubmission(phone: string, _answer: { queryCode?: string }): CaseCredential {
  // Issue 10: `if (_answer.queryCode) return { secret: _answer.queryCode };`
  const digits = phone.replace(/\D/g, '');
  return { secret: digits.slice(-4) };
}

const KEY = (caseNo: string) => `onewindow.credential.${caseNo}`;

/** Kept for this browser tab only (sessionStorage), so the receipt and progress pages open without retyping. */
export function rememberCredential(caseNo: string, c: CaseCredential): void {
  sessionStorage.setItem(KEY(caseNo), JSON.stringify(c));
}

export function recallCredential(caseNo: string): CaseCredential | undefined {
  const raw = sessionStorage.getItem(KEY(caseNo));
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as CaseCredential;
    return typeof c.secret === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}
