/**
 * Acting on a case: load it, check who may act, apply one pure transition from
 * shared/domain/lifecycle.ts, and save it with a conditional write on the version read.
 * When someone else changed the case in between, the action is tried again on the new
 * state: it then either applies, or fails with the 409 that names the new status.
 */
import type { Actor, CaseRecord } from '../domain/case';
import type { Catalog, ServiceItem } from '../domain/catalog';
import { toChinaIso } from '../domain/china-time';
import { ConflictError, NotFoundError } from '../domain/errors';
import { assertSameDepartment, type Ctx } from '../domain/lifecycle';
import { phoneMatches } from '../domain/views';
import type { Clock } from '../adapters/ports';
import type { CalendarRepository } from '../store/calendar-repository';
import type { CaseRepository } from '../store/case-repository';

export interface ActDeps {
  cases: CaseRepository;
  catalog: Catalog;
  calendar: CalendarRepository;
  clock: Clock;
}

/** A pure step from one state of a case to the next (version + 1), or the same object when there is nothing to do. */
export type Transition = (c: CaseRecord, ctx: Ctx) => CaseRecord;

export function itemOf(c: CaseRecord, catalog: Catalog): ServiceItem {
  const item = catalog.item(c.itemCode);
  if (!item) throw new Error(`case ${c.caseNo} names item ${c.itemCode}, which the catalog no longer has`);
  return item;
}

/** Who is acting and how they are checked: staff of the case's department, or the applicant with the phone's last 4 digits. */
export type Caller = { staff: Actor } | { applicantPhoneLast4: string | undefined } | { system: Actor };

function check(c: CaseRecord, caller: Caller): Actor {
  if ('staff' in caller) {
    assertSameDepartment(c, caller.staff);
    return caller.staff;
  }
  if ('system' in caller) return caller.system;
  if (!phoneMatches(c, caller.applicantPhoneLast4)) throw new NotFoundError(`case ${c.caseNo} with those phone digits`);
  return { id: 'applicant', role: 'applicant' };
}

const MAX_ATTEMPTS = 12;

export async function actOnCase(
  caseNo: string,
  caller: Caller,
  transition: Transition,
  deps: ActDeps,
): Promise<{ before: CaseRecord; after: CaseRecord }> {
  for (let attempt = 0; ; attempt++) {
    const before = await deps.cases.get(caseNo);
    if (!before)
      throw new NotFoundError('staff' in caller ? `case ${caseNo}` : `case ${caseNo} with those phone digits`);
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
