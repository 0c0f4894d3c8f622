/**
 * Submitting an application: online by the applicant, or at the window by staff for a
 * walk-in applicant. With an Idempotency-Key a retry returns the same case, never a second.
 *
 * Order of writes (no transactions; each write is single-item and conditional):
 *  1. allocate the case number (atomic counter);
 *  2. claim the Idempotency-Key with that number (conditional): a concurrent or earlier
 *     request that claimed it first wins, and we return its case instead;
 *  3. create the case (conditional on its absence), so a retry after a crash between 2 and 3
 *     creates exactly the case the key names.
 * A lost race only leaves a gap in the sequence, never a duplicate.
 */
import { createHash, randomBytes } from 'node:crypto';
import { queryCodeOfCase } from '../domain/query-code';
import type { Actor, CaseRecord } from '../domain/case';
import { formatCaseNo } from '../domain/case-number';
import { supplementWorkingDays, type Catalog } from '../domain/catalog';
import { chinaDate, toChinaIso } from '../domain/china-time';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors';
import { assertKnownMaterials, newCase, type SubmissionInput } from '../domain/intake';
import type { Clock } from '../adapters/ports';
import type { Events } from '../adapters/events';
import { caseHashes, type PiiHasher } from '../adapters/pii';
import type { CaseRepository } from '../store/case-repository';
import type { IdempotencyRepository } from '../store/idempotency-repository';
import type { CalendarRepository } from '../store/calendar-repository';
import { ART32_NOTICE_WORKING_DAYS } from '../domain/deadlines';
import type { Assignment } from '../domain/posts';
import type { WorkingCalendar } from '../domain/calendar';
import type { PostRepository } from '../store/post-repository';

export interface SubmitDeps {
  catalog: Catalog;
  cases: CaseRepository;
  idempotency: IdempotencyRepository;
  clock: Clock;
  hasher: PiiHasher;
  calendar: CalendarRepository;
  /** case.received: the notify function sends the receipt SMS with the query code. */
  events: Pick<Events, 'publish'>;
  /** Chooses the window post (A/B post) that will handle a new case (shared/usecases/assign-post.ts). */
  assignPost?: (department: string) => Promise<Assignment | undefined>;
  /** Where a handover from A to B is recorded for the monthly report. */
  posts?: Pick<PostRepository, 'recordHandover'>;
}

export interface SubmitResult {
  created: boolean;
  record: CaseRecord;
  /** The case's query code (查询码), for the receipt: shown to the client that made the case, never stored. */
  queryCode?: string;
}

const APPLICANT: Actor = { id: 'applicant', role: 'applicant' };

export async function submitCase(
  input: SubmissionInput,
  options: { actor?: Actor; idempotencyKey?: string },
  deps: SubmitDeps,
): Promise<SubmitResult> {
  const item = deps.catalog.item(input.itemCode);
  if (!item) {
    throw new ValidationError([
      { field: 'itemCode', message: `no service item has the code "${input.itemCode}"; see GET /items` },
    ]);
  }
  assertKnownMaterials(item, input.materials);
  const known = item;

  const staff = options.actor;
  if (staff) {
    if (staff.role !== 'window') throw new ForbiddenError('only window staff register walk-in applications');
    if (staff.department !== item.department) {
      throw new ForbiddenError(
        `item ${item.code} belongs to department ${item.department}; your token is for ${staff.department}`,
      );
    }
  }
  const channel = staff ? 'window' : 'online';
  const requestHash = createHash('sha256').update(JSON.stringify({ channel, input })).digest('base64url');

  if (options.idempotencyKey) {
    const earlier = await deps.idempotency.get('submit', options.idempotencyKey);
    if (earlier) return replay(earlier.requestHash, earlier.resultRef);
  }

  const now = deps.clock.now();
  // The case number and the A/B assignment are independent: ask for both at once.
  const [seq, assignment, calendar] = await Promise.all([
    deps.cases.nextSequence(item.department, chinaDate(now)),
    deps.assignPost ? deps.assignPost(item.department) : undefined,
    deps.calendar.current(),
  ]);
  const caseNo = formatCaseNo(item.department, chinaDate(now), seq);

  if (options.idempotencyKey) {
    const winner = await deps.idempotency.claim('submit', options.idempotencyKey, {
      requestHash,
      resultRef: caseNo,
      createdAt: toChinaIso(now),
    });
    if (winner.resultRef !== caseNo) return replay(winner.requestHash, winner.resultRef);
  }

  return createCase(caseNo, assignment, calendar, now);

  /** The one place a new case is built and written, with its art. 32 due date and its A/B assignment. */
  async function createCase(
    number: string,
    assignment: Assignment | undefined,
    calendar: WorkingCalendar,
    now: Date,
  ): Promise<SubmitResult> {
    const at = toChinaIso(now);
    const record = newCase({
      caseNo: number,
      item: known,
      input,
      channel,
      actor: staff ?? APPLICANT,
      at,
      ...caseHashes(deps.hasher, input),
      queryCodeSalt: randomBytes(12).toString('base64url'),
      post: assignment?.post,
      assignee: assignment?.assignee,
      assignmentNote: assignment?.handover?.note,
      preReviewDue: calendar.addWorkingDays(chinaDate(now), ART32_NOTICE_WORKING_DAYS),
      supplementDue: calendar.addWorkingDays(chinaDate(now), supplementWorkingDays(known)),
    });
    const created = await deps.cases.create(record);
    if (created) await deps.events.publish({ type: 'case.received', caseNo: number });
    if (created && assignment?.handover && deps.posts)
      await deps.posts.recordHandover({ ...assignment.handover, caseNo: number, at });
    if (created) return { created: true, record, queryCode: queryCodeOfCase(record, (v) => deps.hasher.hash(v)) };
    const existing = await deps.cases.get(number);
    if (!existing) throw new ConflictError(`case ${number} could not be written; try again`);
    return withCode(existing);
  }

  /** A retry with the same Idempotency-Key and the same request: the same receipt, code included. */
  function withCode(existing: CaseRecord): SubmitResult {
    return { created: false, record: existing, queryCode: queryCodeOfCase(existing, (v) => deps.hasher.hash(v)) };
  }

  async function replay(earlierHash: string, earlierCaseNo: string): Promise<SubmitResult> {
    if (earlierHash !== requestHash) {
      throw new ConflictError(
        'this Idempotency-Key was already used for a different request; use a new key for a new application',
      );
    }
    const existing = await deps.cases.get(earlierCaseNo);
    if (existing) return withCode(existing);
    // The first request claimed the key and stopped before writing the case: write it now.
    const [assignment, calendar] = await Promise.all([
      deps.assignPost ? deps.assignPost(known.department) : undefined,
      deps.calendar.current(),
    ]);
    return createCase(earlierCaseNo, assignment, calendar, deps.clock.now());
  }
}
