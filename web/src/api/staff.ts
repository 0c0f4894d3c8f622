/**
 * Staff sign-in with OpenID Connect (authorization code with PKCE) and the staff calls.
 *
 * Where to sign in comes from /web-config.json: locally the provider `npm start` embeds
 * (infra/local/oidc.ts), in AWS the hall's identity provider, the same issuer whose tokens the
 * API's JWT authorizer checks. The access token lives in this tab's sessionStorage only.
 */
import { ref } from 'vue';
import { call, type CallOptions } from './http';
import { pageUrl, signInCallbackUrl } from '../lib/links';
import type {
  CaseHistory,
  ComplaintActionRequest,
  ComplaintView,
  FollowUpActionRequest,
  FollowUpView,
  InquiryList,
  InquiryRequest,
  InquiryView,
  PostPresenceView,
  PresenceRequest,
  SubmitCaseRequest,
  SubmitCaseResponse,
  DecideRequest,
  Denials,
  Receipt,
  Report,
  ReturnRequest,
  StaffCaseView,
  SupervisionBoard,
  TaskDecisionRequest,
  Worklist,
} from './types';

interface WebConfig {
  oidc: { issuer: string; clientId: string; scope: string };
}

export interface StaffSession {
  token: string;
  sub: string;
  role: string;
  dept: string;
  name?: string;
  expiresAt: number;
}

const SESSION_KEY = 'onewindow.staff';
const PENDING_KEY = 'onewindow.signin';

function loadSession(): StaffSession | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as StaffSession | null;
    return s && s.expiresAt > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
}

export const staffSession = ref<StaffSession | undefined>(
  typeof sessionStorage === 'undefined' ? undefined : loadSession(),
);

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

async function discovery(): Promise<{ config: WebConfig; meta: Record<string, string> }> {
  const config = await call<WebConfig>('/web-config.json');
  const meta = await call<Record<string, string>>(
    `${config.oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
  );
  return { config, meta };
}

const redirectUri = signInCallbackUrl;

export async function signIn(returnTo = '/console/'): Promise<void> {
  const { config, meta } = await discovery();
  const verifier = randomString();
  const state = randomString();
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.oidc.clientId,
    redirect_uri: redirectUri(),
    scope: config.oidc.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'login',
  }).toString();
  location.assign(url.toString());
}

function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = decodeURIComponent(
    Array.from(
      atob(part.replace(/-/g, '+').replace(/_/g, '/')),
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    ).join(''),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

/** Finishes the sign-in on /console/callback; returns where to go next. */
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (params.get('error')) throw new Error(`登录未完成：${params.get('error_description') ?? params.get('error')}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('登录状态已失效，请重新登录');
  const { config, meta } = await discovery();
  const response = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: config.oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || !tokens.access_token) throw new Error(`登录失败：${tokens.error_description ?? response.status}`);
  const claims = claimsOf(tokens.access_token);
  staffSession.value = {
    token: tokens.access_token,
    sub: String(claims.sub),
    role: String(claims.role),
    dept: String(claims.dept),
    name: typeof claims.name === 'string' ? claims.name : undefined,
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(staffSession.value));
  return pending.returnTo;
}

export function signOut(): void {
  staffSession.value = undefined;
  sessionStorage.removeItem(SESSION_KEY);
  location.assign(pageUrl('/console/'));
}

function staffCall<T>(path: string, options: CallOptions = {}): Promise<T> {
  const session = staffSession.value;
  return call<T>(path, { ...options, token: session?.token });
}

const c = (caseNo: string) => `/cases/${encodeURIComponent(caseNo)}`;

export const staff = {
  worklist: () => staffCall<Worklist>('/worklist'),
  case: (caseNo: string) => staffCall<StaffCaseView>(c(caseNo)),
  history: (caseNo: string) => staffCall<CaseHistory>(`${c(caseNo)}/history`),
  accept: (caseNo: string) => staffCall<Receipt>(`${c(caseNo)}/accept`, { method: 'POST', body: {} }),
  complete: (caseNo: string) => staffCall<Receipt>(`${c(caseNo)}/complete`, { method: 'POST', body: {} }),
  returnCase: (caseNo: string, body: ReturnRequest) =>
    staffCall<{ caseNo: string; status: string }>(`${c(caseNo)}/return`, { method: 'POST', body }),
  decide: (caseNo: string, body: DecideRequest) =>
    staffCall<{ caseNo: string; status: string }>(`${c(caseNo)}/decide`, { method: 'POST', body }),
  decideTask: (taskId: string, body: TaskDecisionRequest) =>
    staffCall<{ taskId: string; status: string }>(`/tasks/${encodeURIComponent(taskId)}/decision`, {
      method: 'POST',
      body,
    }),
  /** Walk-in registration (窗口收件): POST /cases with the window's token; one key per application. */
  walkIn: (body: SubmitCaseRequest, idempotencyKey: string) =>
    staffCall<SubmitCaseResponse>('/cases', { method: 'POST', body, idempotencyKey }),
  presence: (post: string) => staffCall<PostPresenceView>(`/posts/${encodeURIComponent(post)}/presence`),
  setPresence: (post: string, body: PresenceRequest) =>
    staffCall<PostPresenceView>(`/posts/${encodeURIComponent(post)}/presence`, { method: 'PUT', body }),
  inquiries: (month?: string) => staffCall<InquiryList>(`/inquiries${month ? `?month=${month}` : ''}`),
  recordInquiry: (body: InquiryRequest) => staffCall<InquiryView>('/inquiries', { method: 'POST', body }),
  followUps: () => staffCall<{ followUps: FollowUpView[] }>('/followups'),
  followUpAction: (id: string, body: FollowUpActionRequest) =>
    staffCall<FollowUpView>(`/followups/${encodeURIComponent(id)}/actions`, { method: 'POST', body }),
  /** Supervisors: every unanswered complaint; department staff: those transferred or supervised to them. */
  complaints: (all: boolean) =>
    staffCall<{ complaints: ComplaintView[] }>(all ? '/complaints' : '/complaints/assigned'),
  complaintAction: (id: string, body: ComplaintActionRequest) =>
    staffCall<ComplaintView>(`/complaints/${encodeURIComponent(id)}/actions`, { method: 'POST', body }),
  board: () => staffCall<SupervisionBoard>('/supervision'),
  report: (month: string) => staffCall<Report & { stored?: boolean }>(`/reports/${month}`),
  reportCsv: (month: string) => staffCall<string>(`/reports/${month}?format=csv`, { text: true }),
  denials: (month: string) => staffCall<Denials>(`/supervision/denials?month=${month}`),
};
