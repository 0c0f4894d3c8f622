/**
 * One-time SMS codes (短信验证码): a lost query code, withdrawal, and 一户式查询 ("my cases").
 * The code travels in the X-One-Time-Code header, never the URL. A code opens once: the progress
 * opened with one carries the case's query code again, which the page keeps to go on.
 */
import { call } from './http';
import type { CodeRequestAnswer, MyCases, ProgressView } from './types-codes';

const path = (caseNo: string) => `/cases/${encodeURIComponent(caseNo)}`;
const header = (code: string) => ({ 'x-one-time-code': code.replace(/[\s-]/g, '') });

/** A problem with a typed one-time code, in words, or undefined when it can be sent. */
export function oneTimeCodeProblem(code: string): string | undefined {
  return /^\d{6}$/.test(code.replace(/[\s-]/g, '')) ? undefined : '请输入短信中的6位验证码';
}

export const codes = {
  /** A code by SMS to the case's phone (the same answer whether or not the case exists). */
  forCase: (caseNo: string) => call<CodeRequestAnswer>(`${path(caseNo)}/one-time-code`, { method: 'POST', body: {} }),
  /** The progress, opened once with a code; the answer carries the case's query code. */
  progress: (caseNo: string, code: string) =>
    call<ProgressView & { queryCode?: string }>(path(caseNo), { headers: header(code) }),
  /** Withdrawal cannot be undone: it needs a fresh code. */
  withdraw: (caseNo: string, code: string, note?: string) =>
    call<{ caseNo: string; status: string }>(`${path(caseNo)}/withdraw`, {
      method: 'POST',
      body: note ? { note } : {},
      headers: header(code),
    }),
  /** A code by SMS to a phone, for its cases (the same answer whether or not it has any). */
  forPhone: (phone: string) => call<CodeRequestAnswer>('/my-cases/one-time-code', { method: 'POST', body: { phone } }),
  /** Every case of the phone, with the code sent to it. */
  myCases: (phone: string, code: string) =>
    call<MyCases>('/my-cases', { method: 'POST', body: { phone }, headers: header(code) }),
};
