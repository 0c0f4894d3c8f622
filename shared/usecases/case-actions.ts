/**
 * Acting on a case: load it, check who may act, apply one pure transition from
 * shared/domain/lifecycle.ts, and save it with a conditional write on the version read.
 * When someone else changed the case in between, the action is tried again on the new
 * state: it then either applies, or fails with the 409 that names the new status.
 */
import type { Actor, CaseRecord } from '../domain/case';
import type { Catalog, ServiceItem } from '../domain/catalog';
import { toChinaIso } from '../domain/china-time';
import { ConflictError, NotFoundError, TooManyAttemptsError } from '../domain/errors';
import { assertSameDepartment, type Ctx } from '../domain/lifecycle';
import { queryCodeOpens } from '../domain/query-code';
import {
  CODE_TRY_LIMIT,
  normalizeOneTimeCode,
  oneTimeCodeHashInput,
  OneTimeCodeRequiredError,
  subjectKey,
} from '../domain/one-time-code';
import type { Clock } from '../adapters/ports';
import type { PiiHasher } from '../adapters/pii';
import type { AttemptRepository } from '../store/attempt-repository';
import type { OneTimeCodeRepository } from '../store/one-time-code-repository';
import type { CalendarRepository } from '../store/calendar-repository';
import type { CaseRepository } from '../store/case-repository';

export interface ActDeps {
  cases: CaseRepository;
  catalog: Catalog;
  calendar: CalendarRepository;
  clock: Clock;
  hasher: PiiHasher;
  attempts: AttemptRepository;
  /** One-time SMS codes; without it a one-time code opens nothing (a function that takes none). */
  oneTimeCodes?: OneTimeCodeRepository;
}

/** Wrong query codes allowed per case in one window before it locks (then 429 until the window ends). */
export const QUERY_CODE_LIMIT = CODE_TRY_LIMIT;

/** One answer for an unknown case and a wrong code: case numbers cannot be probed. */
export function notFoundForApplicant(caseNo: string): NotFoundError {
  return new NotFoundError(`case ${caseNo} with that query code`);
}

/**
 * How an applicant proves a case is theirs: the receipt's query code (X-Query-Code), or a
 * one-time code sent by SMS to the case's phone (X-One-Time-Code), which is spent on use.
 */
export interface ApplicantCredentials {
  queryCode?: string;
  oneTimeCode?: string;
}

export type OpenedBy = 'query-code' | 'one-time-code';

type OpenDeps = Pick<ActDeps, 'cases' | 'clock' | 'hasher' | 'attempts' | 'oneTimeCodes'>;

/**
 * The applicant's case, opened with its query code or a one-time code. Each try takes a place
 * in the case's window first: after 5 wrong codes (of either kind) in 15 minutes, every try, even
 * the right code, is answered 429 with Retry-After until the window ends. A right code gives its
 * place back. A one-time code, when given, is the one checked (and spent).
 */
export async function openWithCredentials(
  caseNo: string,
  credentials: ApplicantCredentials,
  deps: OpenDeps,
): Promise<{ record: CaseRecord; openedBy: OpenedBy }> {
  const subject = subjectKey({ caseNo });
  const reservation = await deps.attempts.reserve(subject, deps.clock.now(), QUERY_CODE_LIMIT);
  if (!reservation.ok) {
    throw new TooManyAttemptsError(
      `too many wrong codes for case ${caseNo}; try again in ${reservation.retryAfterSeconds} s`,
      reservation.retryAfterSeconds,
    );
  }
  let record: CaseRecord | undefined;
  let openedBy: OpenedBy;
  if (credentials.oneTimeCode !== undefined) {
    openedBy = 'one-time-code';
    const code = normalizeOneTimeCode(credentials.oneTimeCode);
    const spent =
      code !== undefined &&
      deps.oneTimeCodes !== undefined &&
      (await deps.oneTimeCodes.consume(
        subject,
        deps.hasher.hash(oneTimeCodeHashInput({ caseNo }, code)),
        deps.clock.now(),
      ));
    record = spent ? await deps.cases.get(caseNo) : undefined;
  } else {
    openedBy = 'query-code';
    const c = await deps.cases.get(caseNo);
    record = c && queryCodeOpens(c, credentials.queryCode, (v) => deps.hasher.hash(v)) ? c : undefined;
  }
  if (!record) throw notFoundForApplicant(caseNo);
  await deps.attempts.release(subject, reservation.window);
  return { record, openedBy };
}

/** The applicant's case, opened with its query code (X-Query-Code) or credentials (see openWithCredentials). */
export async function openAsApplicant(
  caseNo: string,
  credentials: string | undefined | ApplicantCredentials,
  deps: OpenDeps,
): Promise<CaseRecord> {
  const given = typeof credentials === 'object' ? credentials : { queryCode: credentials };
  return (await openWithCredentials(caseNo, given, deps)).record;
}

/** A pure step from one state of a case to the next (version + 1), or the same object when there is nothing to do. */
export type Transition = (c: CaseRecord, ctx: Ctx) => CaseRecord;

export function itemOf(c: CaseRecord, catalog: Catalog): ServiceItem {
  const item = catalog.item(c.itemCode);
  if (!item) throw new Error(`case ${c.caseNo} names item ${c.itemCode}, which the catalog no longer has`);
  return item;
}

/**
 * Who is acting and how they are checked: staff of the case's department, or the applicant with
 * the case's query code or a one-time code. `oneTimeCodeFor` names an action that cannot be
 * undone (withdrawal): it needs a fresh one-time code, and a query code alone is refused.
 */
export type Caller =
  | { staff: Actor }
  | { applicant: { queryCode: string | undefined; oneTimeCode?: string; oneTimeCodeFor?: string } }
  | { system: Actor };

/** The actor of a caller already checked: the applicant's code was tried once, against the lock, by actOnCase. */
function check(c: CaseRecord, caller: Caller): Actor {
  if ('staff' in caller) {
    assertSameDepartment(c, caller.staff);
    return caller.staff;
  }
  if ('system' in caller) return caller.system;
  return { id: 'applicant', role: 'applicant' };
}

const MAX_ATTEMPTS = 12;

export async function actOnCase(
  caseNo: string,
  caller: Caller,
  transition: Transition,
  deps: ActDeps,
): Promise<{ before: CaseRecord; after: CaseRecord }> {
  // The applicant's code is tried once, against the lock, before anything else.
  if ('applicant' in caller) {
    const { queryCode, oneTimeCode, oneTimeCodeFor } = caller.applicant;
    if (oneTimeCodeFor !== undefined && oneTimeCode === undefined) {
      throw new OneTimeCodeRequiredError(oneTimeCodeFor, caseNo);
    }
    await openWithCredentials(caseNo, oneTimeCode !== undefined ? { oneTimeCode } : { queryCode }, deps);
  }
  for (let attempt = 0; ; attempt++) {
    const before = await deps.cases.get(caseNo);
    if (!before) throw 'applicant' in caller ? notFoundForApplicant(caseNo) : new NotFoundError(`case ${caseNo}`);
    const actor = check(before, caller);
    const now = deps.clock.now();
    const after = transition(before, {
      actor,
      at: toChinaIso(now),
      now,
      item: itemOf(before, deps.catalog),
      calendar: await deps.calendar.current(),
    });
    // A transition that finds nothing to do (a re-run of a step already recorded) writes nothing.
    if (after === before) return { before, after };
    try {
      await deps.cases.save(after, before.version);
      return { before, after };
    } catch (error) {
      // Someone else wrote the case in between: try again on the new state, a few times
      // (several departments' decisions may arrive together). A staff action that the new
      // state no longer allows fails above with the 409 that names the status.
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS - 1) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}
