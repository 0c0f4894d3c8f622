/**
 * The one route table. infra/aws turns it into API Gateway routes (and Lambda integrations),
 * infra/local serves it over HTTP with the same handlers, and the OpenAPI document is built
 * from it. A test fails when any of them drifts from this list.
 */
import type { ZodType } from 'zod';
import type { Access } from '../shared/http/types';
import { SubmitCaseBody, SupplementBody, WithdrawBody } from '../functions/submission/schemas';
import { CaseCodeBody, PhoneBody } from '../functions/submission/code-schemas';
import { DecideBody, EmptyBody, ReturnBody } from '../functions/routing/schemas';
import { CalendarYearBody, InquiriesQuery, InquiryBody, PresenceBody } from '../functions/admin/schemas';
import {
  ComplaintActionBody,
  ComplaintBody,
  FollowUpActionBody,
  InboundSmsBody,
  RatingBody,
} from '../functions/feedback/schemas';
import { OpinionBody, TaskDecisionBody } from '../functions/review/schemas';
import { CallbackBody, CallbackQuery } from '../shared/adapters/sms-aliyun-callback';
import { MonthReportQuery, RangeReportQuery } from '../functions/reports/schemas';
import { DenialsQuery, SupervisionQuery } from '../functions/supervision/schemas';
import {
  BoardResponse,
  CalendarStoredResponse,
  CodeRequestResponse,
  MyCasesResponse,
  CalendarYearResponse,
  CaseStatusResponse,
  ComplaintListResponse,
  ComplaintReceivedResponse,
  ComplaintResponse,
  DecideResponse,
  DenialsResponse,
  FixRatingResponse,
  FollowUpListResponse,
  FollowUpResponse,
  HistoryResponse,
  InquiryListResponse,
  InquiryResponse,
  ItemListResponse,
  ItemResponse,
  JobRunResponse,
  LocalInboundResponse,
  LocalOutboxResponse,
  OpenApiResponse,
  OpinionResponse,
  PresenceResponse,
  ProgressResponse,
  ProviderAckResponse,
  RatingResponse,
  ReceiptResponse,
  ReportResponse,
  ReturnResponse,
  SubmitCaseResponse,
  TaskDecisionResponse,
  WorklistResponse,
} from '../functions/responses';

/** The Lambda functions. Each serves several routes; its handler dispatches on the route key. */
export const FUNCTIONS = [
  'catalog',
  'submission',
  'routing',
  'feedback',
  'notify',
  'reports',
  'supervision',
  'review',
  'admin',
  'jobs',
] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Functions that exist only in the local runtime (handlers under infra/local/); they serve localOnly routes only. */
export const LOCAL_ONLY_FUNCTIONS = ['local-jobs'] as const;
export type LocalOnlyFunctionName = (typeof LOCAL_ONLY_FUNCTIONS)[number];

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path template, e.g. /cases/{caseNo}. */
  path: string;
  fn: FunctionName | LocalOnlyFunctionName;
  /** Name of the operation inside the function. */
  op: string;
  access: Access;
  summary: string;
  body?: ZodType;
  query?: ZodType;
  /**
   * The applicant proves the case is theirs with its query code (查询码) in the X-Query-Code header
   * (never in the URL, which access logs keep); 5 wrong codes in 15 minutes lock the case (429).
   */
  queryCode?: true;
  /**
   * The route also takes a one-time SMS code in the X-One-Time-Code header (withdrawal needs one);
   * wrong codes count toward the same lock as wrong query codes.
   */
  oneTimeCode?: true;
  /**
   * A public write counted per client (its source address) in DynamoDB, the same locally and in
   * AWS (CLIENT_WRITE_LIMIT, default 30 a minute): over it, 429 with Retry-After. Staff tokens are not counted.
   */
  clientLimit?: true;
  /** Routes that exist only in the local runtime (never deployed). */
  localOnly?: boolean;
  /**
   * Every 2xx the route answers, each with the schema of its body (functions/responses.ts): the
   * OpenAPI document states them, the handler's result is typed against them
   * (shared/http/operation.ts), and test/integration/openapi.test.ts checks real answers.
   * Required: a route without its answers' schemas does not compile.
   */
  responses: Readonly<Partial<Record<SuccessStatus, ZodType>>>;
  /** The route also answers text/csv (?format=csv), a body no JSON schema describes. */
  csv?: true;
}

/** The 2xx statuses a route may declare. */
export const SUCCESS_STATUSES = [200, 201, 202, 204] as const;
export type SuccessStatus = (typeof SUCCESS_STATUSES)[number];

const TYPED_ROUTES = [
  {
    method: 'GET',
    path: '/items',
    fn: 'catalog',
    op: 'listItems',
    responses: { 200: ItemListResponse },
    access: 'public',
    summary: 'The service guide: every item with its materials, limits, fee and legal basis',
  },
  {
    method: 'GET',
    path: '/items/{code}',
    fn: 'catalog',
    op: 'getItem',
    responses: { 200: ItemResponse },
    access: 'public',
    summary: 'One item of the service guide',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'catalog',
    op: 'openapi',
    responses: { 200: OpenApiResponse },
    access: 'public',
    summary: 'This API described in OpenAPI 3.1',
  },
  {
    method: 'POST',
    path: '/cases',
    fn: 'submission',
    op: 'submitCase',
    responses: { 201: SubmitCaseResponse, 200: SubmitCaseResponse },
    access: 'optional-staff',
    body: SubmitCaseBody,
    clientLimit: true,
    summary:
      'Submit an application (online), or register a walk-in one with a window staff token; Idempotency-Key makes retries safe',
  },
  {
    method: 'GET',
    path: '/cases/{caseNo}',
    fn: 'submission',
    op: 'getProgress',
    responses: { 200: ProgressResponse },
    access: 'optional-staff',
    queryCode: true,
    oneTimeCode: true,
    summary: "A case's progress: the applicant with the case's query code (X-Query-Code), or staff of its department",
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/supplements',
    fn: 'submission',
    op: 'supplementCase',
    responses: { 200: CaseStatusResponse },
    access: 'public',
    body: SupplementBody,
    queryCode: true,
    oneTimeCode: true,
    clientLimit: true,
    summary: 'The applicant supplements the materials a notice asked for (补正); the clock resumes',
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/withdraw',
    fn: 'submission',
    op: 'withdrawCase',
    responses: { 200: CaseStatusResponse },
    access: 'public',
    body: WithdrawBody,
    queryCode: true,
    oneTimeCode: true,
    clientLimit: true,
    summary:
      'The applicant withdraws the application before a decision; it cannot be undone, so it needs a fresh one-time code (X-One-Time-Code): a query code alone gets 403',
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/one-time-code',
    fn: 'submission',
    op: 'requestCaseCode',
    responses: { 202: CodeRequestResponse },
    access: 'public',
    body: CaseCodeBody,
    clientLimit: true,
    summary:
      "A one-time code (6 digits, 5 minutes, one use) by SMS to the case's phone: for a lost query code, and to withdraw. At most 1 a minute and 5 an hour per phone; the same 202 whether or not the case exists",
  },
  {
    method: 'POST',
    path: '/my-cases/one-time-code',
    fn: 'submission',
    op: 'requestPhoneCode',
    responses: { 202: CodeRequestResponse },
    access: 'public',
    body: PhoneBody,
    clientLimit: true,
    summary:
      'A one-time code by SMS to a phone, to list its cases (一户式查询). At most 1 a minute and 5 an hour; the same 202 whether or not the phone has cases',
  },
  {
    method: 'POST',
    path: '/my-cases',
    fn: 'submission',
    op: 'myCases',
    responses: { 200: MyCasesResponse },
    access: 'public',
    body: PhoneBody,
    oneTimeCode: true,
    clientLimit: true,
    summary:
      "Every case of a phone (一户式查询) with the one-time code sent to it (X-One-Time-Code): masked, with status, deadlines and each case's query code; 5 wrong codes in 15 minutes lock the phone (429)",
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/accept',
    fn: 'routing',
    op: 'acceptCase',
    responses: { 200: ReceiptResponse },
    access: ['window'],
    body: EmptyBody,
    summary: 'Accept (受理): the clock starts; the response is the receipt with the deadlines',
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/return',
    fn: 'routing',
    op: 'returnCase',
    responses: { 200: ReturnResponse },
    access: ['window', 'reviewer'],
    body: ReturnBody,
    summary: 'Return for supplement with one notice listing every problem (一次性告知); the clock pauses',
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/complete',
    fn: 'routing',
    op: 'completeCase',
    responses: { 200: ReceiptResponse },
    access: ['window'],
    body: EmptyBody,
    summary: 'Instant items (即办件): accept and complete the same day',
  },
  {
    method: 'POST',
    path: '/cases/{caseNo}/decide',
    fn: 'routing',
    op: 'decideCase',
    responses: { 200: DecideResponse },
    access: ['window', 'reviewer'],
    body: DecideBody,
    summary: 'Decide a single-department item: approve, or deny with a reason (filed for the supervisors)',
  },
  {
    method: 'GET',
    path: '/cases/{caseNo}/history',
    fn: 'routing',
    op: 'caseHistory',
    responses: { 200: HistoryResponse },
    access: ['window', 'reviewer', 'supervisor'],
    summary: "Every step on the case's record: who, role, when, from, to, note",
  },
  {
    method: 'GET',
    path: '/worklist',
    fn: 'routing',
    op: 'worklist',
    responses: { 200: WorklistResponse },
    access: ['window', 'reviewer'],
    summary: 'What waits for the caller, by due date',
  },
  // feedback: ratings, bad-rating follow-ups, complaints (notify has no routes: EventBridge invokes it)
  {
    method: 'POST',
    path: '/cases/{caseNo}/rating',
    fn: 'feedback',
    op: 'rateOnline',
    responses: { 200: RatingResponse },
    access: 'public',
    body: RatingBody,
    queryCode: true,
    clientLimit: true,
    summary: 'Rate a decided case online with its query code (好差评); once per case: 409 when already rated',
  },
  {
    method: 'GET',
    path: '/followups',
    fn: 'feedback',
    op: 'listFollowUps',
    responses: { 200: FollowUpListResponse },
    access: ['window', 'reviewer', 'supervisor'],
    summary: "Open bad-rating follow-ups of the caller's department (supervisors: all), earliest due first",
  },
  {
    method: 'POST',
    path: '/followups/{id}/actions',
    fn: 'feedback',
    op: 'followUpAction',
    responses: { 200: FollowUpResponse },
    access: ['window', 'reviewer', 'supervisor'],
    body: FollowUpActionBody,
    summary:
      'Verify, fix, schedule a fix, explain, close, appeal (申诉) or rule on an appeal (supervisor) of a bad-rating follow-up',
  },
  {
    method: 'POST',
    path: '/followups/{id}/fix-rating',
    fn: 'feedback',
    op: 'rateFix',
    responses: { 200: FixRatingResponse },
    access: 'public',
    body: RatingBody,
    queryCode: true,
    clientLimit: true,
    summary: "The applicant rates the fix or the explanation, with the case's query code; closes the follow-up",
  },
  {
    method: 'POST',
    path: '/complaints',
    fn: 'feedback',
    op: 'submitComplaint',
    responses: { 201: ComplaintReceivedResponse },
    access: 'optional-staff',
    body: ComplaintBody,
    clientLimit: true,
    summary:
      'Make a complaint (投诉): who, a mobile number for the answer, the case if any, what happened; staff register calls and letters',
  },
  {
    method: 'GET',
    path: '/complaints',
    fn: 'feedback',
    op: 'listComplaints',
    responses: { 200: ComplaintListResponse },
    access: ['supervisor'],
    summary: 'Unanswered complaints with their due dates, earliest first; names and numbers masked',
  },
  {
    method: 'GET',
    path: '/complaints/assigned',
    fn: 'feedback',
    op: 'listAssignedComplaints',
    responses: { 200: ComplaintListResponse },
    access: ['window', 'reviewer'],
    summary:
      "Unanswered complaints transferred or supervised to the caller's department (转办/督办), for it to answer; names and numbers masked",
  },
  {
    method: 'POST',
    path: '/complaints/{id}/actions',
    fn: 'feedback',
    op: 'complaintAction',
    responses: { 200: ComplaintResponse },
    access: ['supervisor', 'window', 'reviewer'],
    body: ComplaintActionBody,
    summary:
      "Handle, transfer or supervise (supervisor: 自办/转办/督办), or answer (also the handling department's staff); the answer goes by SMS",
  },
  {
    method: 'POST',
    path: '/sms/aliyun/{kind}',
    fn: 'feedback',
    op: 'smsProviderPush',
    responses: { 200: ProviderAckResponse },
    access: 'public',
    body: CallbackBody,
    query: CallbackQuery,
    summary:
      'Alibaba Cloud SMS pushes uplink replies (kind up: into the same reply handling as SNS) and delivery receipts (kind report); the URL carries its HMAC signature, sig',
  },
  {
    method: 'POST',
    path: '/_local/sms/inbound',
    fn: 'feedback',
    op: 'localInbound',
    responses: { 202: LocalInboundResponse },
    access: 'public',
    body: InboundSmsBody,
    localOnly: true,
    summary: 'Local runtime only: an SMS reply arrives, as the SNS event two-way SMS delivers in AWS',
  },
  {
    method: 'GET',
    path: '/_local/sms/outbox',
    fn: 'feedback',
    op: 'localOutbox',
    responses: { 200: LocalOutboxResponse },
    access: 'public',
    localOnly: true,
    summary: 'Local runtime only: every SMS sent, oldest first',
  },
  {
    method: 'POST',
    path: '/tasks/{taskId}/decision',
    fn: 'review',
    op: 'decideTask',
    responses: { 200: TaskDecisionResponse },
    access: ['reviewer'],
    body: TaskDecisionBody,
    summary: "A department's decision on its review task: approve, deny with a reason, or return for supplement",
  },
  {
    method: 'POST',
    path: '/tasks/{taskId}/opinion',
    fn: 'review',
    op: 'fileOpinion',
    responses: { 200: OpinionResponse },
    access: ['reviewer'],
    body: OpinionBody,
    summary:
      'The written opinion a department deemed to agree (超时默认) owes within 1 working day; on its worklist and watched by supervision until filed',
  },
  {
    method: 'GET',
    path: '/reports/{month}',
    fn: 'reports',
    op: 'monthReport',
    responses: { 200: ReportResponse },
    csv: true,
    access: ['supervisor', 'admin'],
    query: MonthReportQuery,
    summary:
      "A month's figures per department and window with the ranking (红旗窗口): the stored monthly report, else computed now; ?format=csv for a spreadsheet",
  },
  {
    method: 'GET',
    path: '/reports',
    fn: 'reports',
    op: 'rangeReport',
    responses: { 200: ReportResponse },
    csv: true,
    access: ['supervisor', 'admin'],
    query: RangeReportQuery,
    summary:
      'The figures of any period (from, to: China dates, inclusive), computed now; ?format=csv for a spreadsheet',
  },
  {
    method: 'GET',
    path: '/supervision',
    fn: 'supervision',
    op: 'board',
    responses: { 200: BoardResponse },
    access: ['supervisor'],
    query: SupervisionQuery,
    summary:
      'Electronic supervision (电子监察): open cases and tasks at yellow (预警) or red (报警), with working days left or overdue, and the counts per department',
  },
  {
    method: 'GET',
    path: '/supervision/denials',
    fn: 'supervision',
    op: 'denials',
    responses: { 200: DenialsResponse },
    access: ['supervisor'],
    query: DenialsQuery,
    summary: 'Denials filed for the supervisors (否决报备) in a month: case, item, department, reason, who and when',
  },
  // admin: the working-day calendar, A/B post presence, the first-inquiry log
  {
    method: 'PUT',
    path: '/calendar/{year}',
    fn: 'admin',
    op: 'putCalendarYear',
    responses: { 202: CalendarStoredResponse },
    access: ['admin'],
    body: CalendarYearBody,
    summary:
      "Store a year's official holidays and make-up working days (202): the recompute-deadlines job then recomputes every open case's deadlines and records the change; GET shows how far it is",
  },
  {
    method: 'GET',
    path: '/calendar/{year}',
    fn: 'admin',
    op: 'getCalendarYear',
    responses: { 200: CalendarYearResponse },
    access: 'public',
    summary:
      "A year's holidays and make-up working days, and whether they are official (seed), stored (admin) or missing (weekends only)",
  },
  {
    method: 'PUT',
    path: '/posts/{post}/presence',
    fn: 'admin',
    op: 'setPresence',
    responses: { 200: PresenceResponse },
    access: ['window', 'admin'],
    body: PresenceBody,
    summary:
      'Mark the A or B person of a window post present or away (AB岗): new cases go to A unless A is away, then to B',
  },
  {
    method: 'GET',
    path: '/posts/{post}/presence',
    fn: 'admin',
    op: 'getPresence',
    responses: { 200: PresenceResponse },
    access: ['window', 'reviewer', 'supervisor', 'admin'],
    summary: 'Whether the A and B persons of a window post are present (AB岗), and who gets its next case',
  },
  {
    method: 'POST',
    path: '/inquiries',
    fn: 'admin',
    op: 'recordInquiry',
    responses: { 201: InquiryResponse },
    access: ['window', 'reviewer', 'supervisor', 'admin'],
    body: InquiryBody,
    summary: 'Log an inquiry (首问负责制): matter, contact, outcome, and the window post it was handed to',
  },
  {
    method: 'GET',
    path: '/inquiries',
    fn: 'admin',
    op: 'listInquiries',
    responses: { 200: InquiryListResponse },
    access: ['window', 'reviewer', 'supervisor', 'admin'],
    query: InquiriesQuery,
    summary:
      "The caller's department's inquiries of a month (?month=YYYY-MM), contacts masked, with the count per outcome",
  },
  {
    method: 'POST',
    path: '/_local/jobs/{job}',
    fn: 'local-jobs',
    op: 'runJob',
    responses: { 200: JobRunResponse },
    access: ['admin'],
    localOnly: true,
    summary: 'Local runtime only: run a scheduled job now (infra/schedules.ts), e.g. deem-acceptance',
  },
] as const satisfies readonly Route[];

/** The route table with each route's literal types, from which shared/http/operation.ts types the operations. */
export type RouteTable = typeof TYPED_ROUTES;

export const ROUTES: readonly Route[] = TYPED_ROUTES;

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function routesOf(fn: FunctionName | LocalOnlyFunctionName): Route[] {
  return ROUTES.filter((r) => r.fn === fn);
}

/** A route that AWS serves: never local-only, always on a deployed function. */
export type DeployedRoute = Route & { fn: FunctionName };

export function deployedRoutes(): DeployedRoute[] {
  return ROUTES.filter((r): r is DeployedRoute => !r.localOnly && (FUNCTIONS as readonly string[]).includes(r.fn));
}
