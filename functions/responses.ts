/**
 * What every operation answers: one zod schema per response body, in one place beside the
 * request schemas (functions/<fn>/schemas.ts). The route table names them per status
 * (infra/routes.ts, `responses`), the OpenAPI document states them (infra/openapi.ts), each
 * handler's result is typed against them (shared/http/operation.ts: a body that drifts from
 * its schema fails the type check), and a test calls every route and checks the real answer
 * against its declared status and schema (test/integration/openapi.test.ts). The pages take
 * their response types from here too (web/src/api/types.ts, z.infer).
 *
 * Objects are open (extra fields allowed: a client must ignore what it does not know), and
 * nested domain records name the fields a client relies on. Personal data appears only masked.
 */
import * as z from 'zod';
import { CASE_STATUSES, DELIVERIES, RATING_LEVELS } from '../shared/domain/case';
import { ServiceItemSchema } from '../shared/domain/catalog';
import { PATH_PARAMS } from '../shared/http/params';

const caseNo = PATH_PARAMS.caseNo;
const instant = z.string().describe('an instant, ISO 8601 with offset (+08:00)');
const chinaDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a China date, YYYY-MM-DD');
const status = z.enum(CASE_STATUSES);
const outcome = z.enum(['approve', 'deny']);

const MaterialRef = z.object({ code: z.string(), name: z.string() });
export const NoticeSchema = z
  .object({
    issuedAt: instant,
    missing: z.array(MaterialRef),
    problems: z.array(z.object({ code: z.string(), note: z.string() })).optional(),
  })
  .describe('the one-time notice (一次性告知): every missing or faulty material at once');
const Deadlines = z.object({ committed: chinaDate, statutory: chinaDate });
const Pause = z.object({ start: instant, end: instant.optional(), reason: z.string() });
const HistoryEntry = z.object({
  at: instant,
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  from: status.nullable(),
  to: status,
  note: z.string().optional(),
});
const ReviewEntry = z.object({
  department: z.string(),
  stage: z.number().int(),
  decision: z.enum(['approve', 'deny', 'return']),
  decidedAt: instant,
  by: z.string(),
});
const Decision = z.object({ outcome, reason: z.string().optional(), at: instant });
const RatingView = z.object({ level: z.enum(RATING_LEVELS), source: z.string() });

/** Where the clock stands (shared/domain/views.ts, ClockView). */
const ClockFields = {
  deadlines: Deadlines.optional(),
  workingDaysLeft: z.number().int().optional(),
  predictedCompletion: z.string().optional(),
  calendarIncomplete: z.boolean().optional(),
  paused: z.boolean().optional(),
  pause: z.object({ reason: z.string(), since: z.string(), until: z.string().optional() }).optional(),
};

// catalog ---------------------------------------------------------------------------------

export const ItemListResponse = z.object({ items: z.array(ServiceItemSchema) });
export const ItemResponse = ServiceItemSchema;
export const OpenApiResponse = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .describe('this document');

// submission ------------------------------------------------------------------------------

export const SubmitCaseResponse = z.object({
  caseNo,
  status,
  receivedAt: instant,
  queryCode: z
    .string()
    .optional()
    .describe('the query code (查询码): shown once, on the receipt; the public case routes take it in X-Query-Code'),
  notice: NoticeSchema.optional(),
});

/** The applicant's progress view; staff of the case's department see more (the staff view). */
export const ProgressResponse = z.object({
  caseNo,
  itemCode: z.string(),
  itemName: z.string(),
  department: z.string(),
  channel: z.enum(['online', 'window']),
  status,
  receivedAt: instant,
  acceptedAt: instant.optional(),
  decidedAt: instant.optional(),
  applicant: z
    .object({ name: z.string(), idType: z.string(), idNumber: z.string(), phone: z.string() })
    .describe('masked: 张*, 110***********002X, 138****1234'),
  delivery: z.enum(DELIVERIES),
  materials: z.array(z.string()),
  notice: NoticeSchema.optional(),
  ...ClockFields,
  decision: Decision.optional(),
  rating: RatingView.optional(),
  // the staff view only
  reviews: z.array(ReviewEntry).optional(),
  preReviewDue: z.string().optional(),
  post: z.string().optional(),
  assignee: z.string().optional(),
  version: z.number().int().optional(),
  pauses: z.array(Pause).optional(),
});

/** A one-time code was asked for: the same answer whether or not the case or phone exists. */
export const CodeRequestResponse = z.object({
  detail: z.string(),
  expiresInSeconds: z.number().int().describe('how long a code sent now stays good (300)'),
});

/** 一户式查询: every case of a phone, opened with the one-time code sent to it. */
export const MyCasesResponse = z.object({
  cases: z.array(
    z.object({
      caseNo,
      itemCode: z.string(),
      itemName: z.string(),
      department: z.string(),
      status,
      receivedAt: instant,
      acceptedAt: instant.optional(),
      decidedAt: instant.optional(),
      ...ClockFields,
      applicant: z.object({ name: z.string(), idType: z.string(), idNumber: z.string(), phone: z.string() }),
      queryCode: z.string().optional().describe("the case's query code, to follow it on"),
    }),
  ),
});

export const CaseStatusResponse = z.object({ caseNo, status, notice: NoticeSchema.optional() });

// routing ---------------------------------------------------------------------------------

/** The receipt (受理回执) of accept and complete: the case, its item and where the clock stands. */
export const ReceiptResponse = z.object({
  caseNo,
  itemCode: z.string(),
  itemName: z.string(),
  status,
  receivedAt: instant,
  acceptedAt: instant.optional(),
  decidedAt: instant.optional(),
  ...ClockFields,
});
export const ReturnResponse = z.object({ caseNo, status, notice: NoticeSchema.optional() });
export const DecideResponse = z.object({
  caseNo,
  status,
  decidedAt: instant.optional(),
  decision: Decision.optional(),
});
export const HistoryResponse = z.object({
  caseNo,
  status,
  history: z.array(HistoryEntry),
  pauses: z.array(Pause),
});
const WorklistEntry = z.object({
  kind: z.enum(['case', 'task']),
  caseNo,
  department: z.string(),
  status: z.string(),
  due: z.string().nullable(),
  itemCode: z.string().optional(),
  taskId: z.string().optional(),
  stage: z.number().int().optional(),
  assignee: z.string().optional(),
});
export const WorklistResponse = z.object({ cases: z.array(WorklistEntry), tasks: z.array(WorklistEntry) });

// feedback --------------------------------------------------------------------------------

export const RatingResponse = z.object({ caseNo, rating: RatingView });
const FollowUpView = z.object({
  id: z.string(),
  caseNo,
  department: z.string(),
  state: z.string(),
  due: z.string(),
  openedAt: instant,
  allowed: z.array(z.string()),
});
export const FollowUpListResponse = z.object({ followUps: z.array(FollowUpView) });
export const FollowUpResponse = FollowUpView;
export const FixRatingResponse = z.object({ id: z.string(), caseNo, state: z.string() });
export const ComplaintReceivedResponse = z.object({
  id: z.string(),
  state: z.string(),
  receivedAt: instant,
  due: z.string(),
  contact: z.string().describe('masked: 139****5678'),
});
const ComplaintView = z.object({
  id: z.string(),
  state: z.string(),
  who: z.string().describe('masked'),
  contact: z.string().describe('masked'),
  text: z.string(),
  receivedAt: instant,
  due: z.string(),
  allowed: z.array(z.string()),
});
export const ComplaintListResponse = z.object({ complaints: z.array(ComplaintView) });
export const ComplaintResponse = ComplaintView;
export const ProviderAckResponse = z.object({ code: z.literal(0), msg: z.string() });
export const LocalInboundResponse = z.object({ messageId: z.string(), results: z.array(z.unknown()) });
export const LocalOutboxResponse = z.object({
  messages: z.array(z.object({ to: z.string(), text: z.string(), at: z.string(), kind: z.string() })),
});

// review ----------------------------------------------------------------------------------

export const TaskDecisionResponse = z.object({
  taskId: PATH_PARAMS.taskId,
  status: z.string().describe('decided, or returned (for supplement)'),
  decision: z.unknown().optional(),
  caseStatus: status.optional(),
  notice: NoticeSchema.optional(),
});
export const OpinionResponse = z.object({
  taskId: PATH_PARAMS.taskId,
  status: z.string().describe('decided'),
  decision: z.unknown().optional(),
});

// reports ---------------------------------------------------------------------------------

const Figures = z.record(z.string(), z.unknown()).describe('the figures (shared/domain/reports.ts FIGURES)');
export const ReportResponse = z.object({
  period: z.object({ from: chinaDate, to: chinaDate, month: z.string().optional() }),
  generatedAt: instant,
  departments: z.array(z.object({ department: z.string() })),
  windows: z.array(z.object({ window: z.string(), departments: z.array(z.string()) })),
  total: Figures,
  ranking: z.object({
    ranked: z.array(z.object({ window: z.string(), rank: z.number(), score: z.number(), redFlag: z.boolean() })),
    redFlags: z.array(z.string()),
    last: z.array(z.string()),
    unranked: z.array(z.string()),
    lastTwoMonthsRunning: z.array(z.string()).optional(),
  }),
  stored: z.boolean().optional(),
});

// supervision -----------------------------------------------------------------------------

const Watched = z.object({
  kind: z.enum(['case', 'task', 'followup', 'complaint']),
  id: z.string(),
  caseNo: z.string().optional(),
  taskId: z.string().optional(),
  department: z.string().describe('the department that answers for it; SUP for a complaint no department has yet'),
  itemCode: z.string().optional(),
  status: z.string(),
  due: chinaDate,
  colour: z.enum(['yellow', 'red']),
  workingDaysLeft: z.number().int(),
  daysOverdue: z.number().int(),
  assignee: z.string().optional(),
  post: z.string().optional(),
  warnedAt: instant.optional(),
  unrouted: z.literal(true).optional(),
});
export const BoardResponse = z.object({
  asOf: chinaDate,
  thresholds: z.object({ yellowDays: z.number(), yellowFraction: z.number() }),
  yellow: z.array(Watched),
  red: z.array(Watched),
  byDepartment: z.array(z.object({ department: z.string(), yellow: z.number().int(), red: z.number().int() })),
});
export const DenialsResponse = z.object({
  month: z.string(),
  count: z.number().int(),
  denials: z.array(
    z.object({
      caseNo,
      itemCode: z.string(),
      department: z.string(),
      reason: z.string(),
      reasons: z.array(z.object({ department: z.string(), reason: z.string() })).optional(),
      deniedBy: z.string(),
      deniedAt: instant,
    }),
  ),
});

// admin -----------------------------------------------------------------------------------

const CalendarDays = {
  year: z.number().int(),
  holidays: z.array(z.unknown()),
  workdays: z.array(z.unknown()),
  status: z.enum(['official', 'stored', 'missing']),
};
/** How far the recompute-deadlines job is with the open cases after the last calendar change. */
const Recompute = z.object({
  state: z.enum(['pending', 'done']),
  requestedAt: instant,
  casesLookedAt: z.number().int(),
  casesChanged: z.number().int(),
  finishedAt: instant.optional(),
});
export const CalendarYearResponse = z.object({ ...CalendarDays, recompute: Recompute.optional() });
export const CalendarStoredResponse = z.object({
  ...CalendarDays,
  updatedAt: instant,
  updatedBy: z.string(),
  recompute: Recompute,
});
const PostPerson = z.object({ staffId: z.string(), present: z.boolean(), note: z.string().optional() });
export const PresenceResponse = z.object({
  post: z.string(),
  department: z.string(),
  a: PostPerson,
  b: PostPerson,
});
const InquiryView = z.object({
  id: z.string(),
  at: instant,
  staff: z.string(),
  matter: z.string(),
  outcome: z.string(),
  contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).describe('masked'),
});
export const InquiryResponse = InquiryView;
export const InquiryListResponse = z.object({
  department: z.string().optional(),
  month: z.string(),
  total: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()),
  inquiries: z.array(InquiryView),
});

// local runtime ---------------------------------------------------------------------------

export const JobRunResponse = z.object({ job: z.string() });
