/** The applicant's calls: the service guide, submission, and the public routes of a case. */
import { call } from './http';
import { credentialHeaders, credentialQuery, withCredential, type CaseCredential } from './credentials';
import type {
  ComplaintRequest,
  ItemList,
  ProgressView,
  RatingLevel,
  ServiceItem,
  SubmitCaseRequest,
  SubmitCaseResponse,
} from './types';

const path = (caseNo: string) => `/cases/${encodeURIComponent(caseNo)}`;

export const guide = {
  items: () => call<ItemList>('/items'),
  item: (code: string) => call<ServiceItem>(`/items/${encodeURIComponent(code)}`),
};

export const applicant = {
  submit: (body: SubmitCaseRequest, idempotencyKey: string) =>
    call<SubmitCaseResponse>('/cases', { method: 'POST', body, idempotencyKey }),
  progress: (caseNo: string, c: CaseCredential) =>
    call<ProgressView>(`${path(caseNo)}${credentialQuery(c)}`, { headers: credentialHeaders(c) }),
  supplement: (caseNo: string, c: CaseCredential, materials: string[]) =>
    call<{ caseNo: string; status: string }>(`${path(caseNo)}/supplements`, {
      method: 'POST',
      body: withCredential({ materials }, c),
      headers: credentialHeaders(c),
    }),
  withdraw: (caseNo: string, c: CaseCredential, note?: string) =>
    call<{ caseNo: string; status: string }>(`${path(caseNo)}/withdraw`, {
      method: 'POST',
      body: withCredential(note ? { note } : {}, c),
      headers: credentialHeaders(c),
    }),
  rate: (caseNo: string, c: CaseCredential, level: RatingLevel) =>
    call<unknown>(`${path(caseNo)}/rating`, {
      method: 'POST',
      body: withCredential({ level }, c),
      headers: credentialHeaders(c),
    }),
  complain: (body: ComplaintRequest, idempotencyKey: string) =>
    call<{ id: string; due?: string }>('/complaints', { method: 'POST', body, idempotencyKey }),
};
