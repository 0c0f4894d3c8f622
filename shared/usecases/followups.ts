/**
 * Bad-rating follow-ups (差评核实、整改、回访): opened by a bad rating, worked by the staff of
 * the department that answers for the case, closed by the applicant's rating of the fix or by
 * staff; a staff member may appeal, and a supervisor who voids the rating on appeal voids it on
 * the case too, so it counts nowhere. The rules are in shared/domain/followup.ts.
 */
import type { Actor, CaseRecord } from '../domain/case';
import { chinaDate, toChinaIso } from '../domain/china-time';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import {
  allowedFollowUpActions,
  applyFollowUpAction,
  followUpId,
  openFollowUp,
  type FollowUp,
  type FollowUpAction,
} from '../domain/followup';
import type { RatingLevel } from '../domain/case';
import type { FeedbackSettings } from '../domain/rating';
import { voidRating } from '../domain/rating';
import { openAsApplicant, type ActDeps } from './case-actions';
import type { Events } from '../adapters/events';
import type { Clock } from '../adapters/ports';
import type { Catalog } from '../domain/catalog';
import type { CalendarRepository } from '../store/calendar-repository';
import type { CaseRepository } from '../store/case-repository';
import type { FollowUpRepository } from '../store/follow-up-repository';
import { keys } from '../store/keys';
import { pendingEffectsOf, withoutOutbox } from '../store/outbox-repository';
import { carryOutEffects, publishEffect, recordEffects, type OutboxDeps } from './outbox';

export interface FollowUpDeps extends OutboxDeps {
  cases: CaseRepository;
  followUps: FollowUpRepository;
  calendar: CalendarRepository;
  clock: Clock;
  events: Events;
  feedback: FeedbackSettings;
}

/**
 * Opens the follow-up of a case whose rating is bad, once (a conditional create). Its due date
 * is the setting's working days after the day the bad rating arrived: the department cannot
 * verify or fix anything before it knows.
 */
export async function ensureFollowUp(c: CaseRecord, deps: FollowUpDeps): Promise<FollowUp | undefined> {
  if (!c.rating) return undefined;
  const now = deps.clock.now();
  const calendar = await deps.calendar.current();
  const due = calendar.addWorkingDays(chinaDate(c.rating.at), deps.feedback.followUpWorkingDays);
  const f = openFollowUp({
    caseNo: c.caseNo,
    department: c.department,
    level: c.rating.level,
    openedAt: toChinaIso(now),
    due: due < chinaDate(now) ? chinaDate(now) : due,
  });
  // followup.opened is recorded with the follow-up it announces (the outbox), carried out right after.
  const key = keys.followUp(f.id);
  const recorded = recordEffects(f, key, [
    publishEffect({ type: 'followup.opened', caseNo: c.caseNo, followUpId: f.id }, f.version),
  ]);
  if (!(await deps.followUps.create(recorded))) return undefined;
  await carryOutEffects(key, recorded.version, { ...recorded }, pendingEffectsOf(recorded), deps);
  return f;
}

/** What staff see of a follow-up: it holds no personal data; with what may be done next. */
export function followUpView(f: FollowUp) {
  return { ...withoutOutbox(f), allowed: allowedFollowUpActions(f.state, f) };
}

/** The open follow-ups of the caller's department, or of every department for a supervisor; earliest due first. */
export async function openFollowUps(
  actor: Actor,
  deps: { followUps: FollowUpRepository; catalog: Catalog },
): Promise<FollowUp[]> {
  const departments =
    actor.role === 'supervisor' ? deps.catalog.departments().map((d) => d.code) : [actor.department ?? ''];
  const lists = await Promise.all(departments.map((d) => deps.followUps.openOf(d)));
  return lists.flat().sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

/** Staff act on a follow-up of their own department (supervisors on any); the domain decides 403 and 409. */
export async function actOnFollowUp(
  id: string,
  action: FollowUpAction,
  actor: Actor,
  deps: FollowUpDeps,
): Promise<FollowUp> {
  return change(id, deps, (f) => {
    if (actor.role !== 'supervisor' && actor.department !== f.department) {
      return Promise.reject(
        new ForbiddenError(
          `follow-up ${f.id} belongs to department ${f.department}; your token is for ${actor.department}`,
        ),
      );
    }
    return Promise.resolve(applyFollowUpAction(f, action, actor, toChinaIso(deps.clock.now())));
  });
}

/** The applicant rates the fix (or the explanation), proving the case is theirs with its query code. */
export async function rateFix(
  id: string,
  input: { queryCode: string | undefined; level: RatingLevel },
  deps: FollowUpDeps & Pick<ActDeps, 'hasher' | 'attempts'>,
): Promise<FollowUp> {
  const notFound = new NotFoundError(`follow-up ${id} with that query code`);
  const existing = await deps.followUps.get(id);
  if (!existing) throw notFound;
  await openAsApplicant(existing.caseNo, input.queryCode, deps);
  return change(
    id,
    deps,
    (f) =>
      Promise.resolve(
        applyFollowUpAction(
          f,
          { type: 'rate-fix', level: input.level },
          { id: 'applicant', role: 'applicant' },
          toChinaIso(deps.clock.now()),
        ),
      ),
    notFound,
  );
}

async function change(
  id: string,
  deps: FollowUpDeps,
  apply: (f: FollowUp) => Promise<FollowUp>,
  notFound = new NotFoundError(`follow-up ${id}`),
): Promise<FollowUp> {
  for (let attempt = 0; ; attempt++) {
    const f = await deps.followUps.get(id);
    if (!f) throw notFound;
    // Repair first: a follow-up voided before a crash left the case's rating counted.
    if (f.state === 'voided') await voidCaseRating(f, deps);
    const next = await apply(f);
    try {
      await deps.followUps.save(next, f.version);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 1) throw error;
      continue;
    }
    if (next.state === 'voided') await voidCaseRating(next, deps);
    return next;
  }
}

/** Marks the case's rating voided (idempotent), with the ruling in the case's history. */
async function voidCaseRating(f: FollowUp, deps: FollowUpDeps): Promise<void> {
  const ruling = f.appeal;
  for (let attempt = 0; ; attempt++) {
    const c = await deps.cases.get(f.caseNo);
    if (!c?.rating) return;
    const next = voidRating(c, {
      actor: { id: ruling?.ruledBy ?? 'supervisor', role: 'supervisor' },
      at: ruling?.ruledAt ?? f.voidedAt ?? toChinaIso(deps.clock.now()),
      note: ruling?.rulingNote ?? `follow-up ${f.id} voided`,
    });
    if (!next) return;
    try {
      await deps.cases.save(next, c.version);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 2) throw error;
    }
  }
}

export { followUpId };
