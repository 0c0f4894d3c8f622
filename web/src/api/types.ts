/**
 * The pages' request and response types, taken from the API's own code: the zod schemas that
 * validate each request (z.input: what a client sends), and the functions that build each
 * response (their return types). Nothing here is a second hand-written copy: when the API
 * changes shape, `npm run typecheck` fails on the page that no longer fits.
 */
import type * as z from 'zod';
import type { SubmitCaseBody, SupplementBody, WithdrawBody } from '../../../functions/submission/schemas';
import type { DecideBody, EmptyBody, ReturnBody } from '../../../functions/routing/schemas';
import type { ComplaintBody, RatingBody } from '../../../functions/feedback/schemas';
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
