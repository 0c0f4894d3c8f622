/**
 * How an applicant opens their own case on the public routes: the one place that knows it.
 * The case number with its query code (查询码), printed on the receipt and sent by SMS, in the
 * `X-Query-Code` header (never the URL: URLs land in access logs). After 5 wrong codes the API
 * answers 429 with Retry-After.
 */
export interface CaseCredential {
  /** The query code as the applicant typed it (spaces, dashes and lower case are accepted). */
  secret: string;
}

export const CREDENTIAL_LABEL = '查询码';
export const CREDENTIAL_HINT = '受理回执或短信上的10位查询码';

/** A problem with what was typed, in words, or undefined when it can be sent. */
export function credentialProblem(secret: string): string | undefined {
  return /^[2-9A-HJ-NP-Z]{10}$/.test(secret.replace(/[\s-]/g, '').toUpperCase()) ? undefined : '请输入10位查询码';
}

/** The query string a GET of the case needs: none, the code goes in a header. */
export function credentialQuery(_c: CaseCredential): string {
  return '';
}

/** Headers every public case route needs. */
export function credentialHeaders(c: CaseCredential): Record<string, string> {
  return { 'x-query-code': c.secret.trim() };
}

/** The body of a public case write: the credential travels in the header, the body is unchanged. */
export function withCredential<B extends object>(body: B, _c: CaseCredential): B {
  return body;
}

/** The credential of a freshly submitted case: the query code on its receipt. */
export function credentialFromSubmission(_phone: string, answer: { queryCode?: string }): CaseCredential {
  return { secret: answer.queryCode ?? '' };
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
