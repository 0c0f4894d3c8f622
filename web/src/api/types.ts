/**
 * The pages' request and response types, taken from the API's own code: the zod schemas that
 * validate each request (z.input: what a client sends), and the zod schemas of each response
 * (z.infer: what it receives; functions/responses.ts) or, for the richest views, the functions
 * that build them. Nothing here is a second hand-written copy: when the API changes shape,
 * `npm run typecheck` fails on the page that no longer fits.
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
import type { progressView, staffView } from '../../../shared/domain/views';
import type {
  BoardResponse,
  DenialsResponse,
  HistoryResponse,
  ItemListResponse,
  ReceiptResponse,
  SubmitCaseResponse as SubmitCaseResponseSchema,
  WorklistResponse,
} from '../../../functions/responses';
import type { Report } from '../../../shared/domain/reports';
import type { HistoryEntry, CaseStatus, RatingLevel, Notice } from '../../../shared/domain/case';
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

// Responses: the zod schemas the route table declares for each answer (functions/responses.ts),
// which the handlers are typed against; z.infer is what a client receives. The progress and
// staff views and the report keep the use cases' own return types: their schemas
// are open where the pages read every figure.
export type ItemList = z.infer<typeof ItemListResponse>;
/** POST /cases: 201 (and 200 for a replay with the same Idempotency-Key). */
export type SubmitCaseResponse = z.infer<typeof SubmitCaseResponseSchema>;
export type ProgressView = ReturnType<typeof progressView>;
export type StaffCaseView = ReturnType<typeof staffView>;
export type Worklist = z.infer<typeof WorklistResponse>;
export type WorklistEntry = Worklist['cases'][number];
export type SupervisionBoard = z.infer<typeof BoardResponse>;
export type CaseHistory = z.infer<typeof HistoryResponse>;
/** The receipt that accept and complete answer with. */
export type Receipt = z.infer<typeof ReceiptResponse>;
export type Denials = z.infer<typeof DenialsResponse>;
/** GET and PUT /posts/{post}/presence (shared/usecases/posts.ts). */
export type PostPresenceView = Awaited<ReturnType<typeof postPresence>>;
/** GET /inquiries (shared/usecases/inquiries.ts). */
export type InquiryList = Awaited<ReturnType<typeof listInquiries>>;
export type InquiryView = InquiryList['inquiries'][number];
/** GET /followups: each with the actions its state allows. */
export type FollowUpView = ReturnType<typeof followUpView>;
/** GET /complaints and /complaints/assigned: the complainant masked. */
export type ComplaintView = ReturnType<typeof complaintView>;
