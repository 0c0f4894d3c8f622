/**
 * The pages' request and response types, taken from the API's own code: the zod schemas that
 * validate each request (z.input: what a client sends), and the functions that build each
 * response (their return types). Nothing here is a second hand-written copy: when the API
 * changes shape, `npm run typecheck` fails on the page that no longer fits.
 */
import type * as z from 'zod';
import type { SubmitCaseBody, SupplementBody, WithdrawBody } from '../../../functions/submission/schemas';
import type { DecideBody, EmptyBody, ReturnBody } from '../../../functions/routing/schemas';
import type {
  ComplaintActionBody,
  ComplaintBody,
  FollowUpActionBody,
  RatingBody,
} from '../../../functions/feedback/schemas';
import type { InquiryBody, PresenceBody } from '../../../functions/admin/schemas';
import type { postPresence } from '../../../shared/usecases/posts';
import type { listInquiries } from '../../../shared/usecases/inquiries';
import type { followUpView } from '../../../shared/usecases/followups';
import type { complaintView } from '../../../shared/usecases/complaints';
import type { TaskDecisionBody } from '../../../functions/review/schemas';
import type { ServiceItem } from '../../../shared/domain/catalog';
import type { progressView, staffView, ClockView } from '../../../shared/domain/views';
import type { WorklistEntry } from '../../../shared/store/case-index';
import type { supervisionBoard } from '../../../shared/usecases/supervision';
import type { Report } from '../../../shared/domain/reports';
import type { CaseRecord, HistoryEntry, CaseStatus, RatingLevel, Notice } from '../../../shared/domain/case';
import type { DenialFiling } from '../../../shared/store/denial-repository';
import type { ReviewEntry } from '../../../shared/domain/review';
import type { FieldProblem } from '../../../shared/domain/errors';

export type { ServiceItem, Report, HistoryEntry, CaseStatus, RatingLevel, Notice, ReviewEntry, FieldProblem };
export type Material = ServiceItem['materials'][number];
export type Stage = ServiceItem['stages'][number];

// Requests: what the route table validates, as a client writes it.
export type SubmitCaseRequest = z.input<typeof SubmitCaseBody>;
export type Applicant = SubmitCaseRequest['applicant'];
export type SupplementRequest = z.input<typeof SupplementBody>;
export type WithdrawRequest = z.input<typeof WithdrawBody>;
export type RatingRequest = z.input<typeof RatingBody>;
export type ComplaintRequest = z.input<typeof ComplaintBody>;
export type ReturnRequest = z.input<typeof ReturnBody>;
export type DecideRequest = z.input<typeof DecideBody>;
export type EmptyRequest = z.input<typeof EmptyBody>;
export type TaskDecisionRequest = z.input<typeof TaskDecisionBody>;
export type PresenceRequest = z.input<typeof PresenceBody>;
export type InquiryRequest = z.input<typeof InquiryBody>;
export type FollowUpActionRequest = z.input<typeof FollowUpActionBody>;
export type ComplaintActionRequest = z.input<typeof ComplaintActionBody>;

// Responses: what the handlers and use cases return.
export type ItemList = { items: ServiceItem[] };
/** POST /cases (functions/submission/handler.ts). */
export type SubmitCaseResponse = Pick<CaseRecord, 'caseNo' | 'status' | 'receivedAt'> & {
  notice?: Notice;
  /** Issue 10 adds the query code (查询码) to this answer; the receipt shows it when present. */
  queryCode?: string;
};
export type ProgressView = ReturnType<typeof progressView>;
export type StaffCaseView = ReturnType<typeof staffView>;
export type Worklist = { cases: WorklistEntry[]; tasks: WorklistEntry[] };
export type { WorklistEntry };
export type SupervisionBoard = Awaited<ReturnType<typeof supervisionBoard>>;
export type CaseHistory = { caseNo: string; status: CaseStatus; history: HistoryEntry[] };
/** The receipt that accept and complete answer with (functions/routing/handler.ts). */
export type Receipt = Pick<
  CaseRecord,
  'caseNo' | 'itemCode' | 'itemName' | 'status' | 'receivedAt' | 'acceptedAt' | 'decidedAt'
> &
  ClockView;
export type Denials = { month: string; count: number; denials: DenialFiling[] };
/** GET and PUT /posts/{post}/presence (shared/usecases/posts.ts). */
export type PostPresenceView = Awaited<ReturnType<typeof postPresence>>;
/** GET /inquiries (shared/usecases/inquiries.ts). */
export type InquiryList = Awaited<ReturnType<typeof listInquiries>>;
export type InquiryView = InquiryList['inquiries'][number];
/** GET /followups: each with the actions its state allows. */
export type FollowUpView = ReturnType<typeof followUpView>;
/** GET /complaints and /complaints/assigned: the complainant masked. */
export type ComplaintView = ReturnType<typeof complaintView>;
