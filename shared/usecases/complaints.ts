/**
 * Complaints (投诉): received online (or registered by staff from a call or the mailbox),
 * handled by the hall, transferred or supervised, and every one answered by SMS within the
 * set working days (件件有回音). The rules are in shared/domain/complaint.ts; the answer SMS
 * is sent by the notify function on `complaint.answered` (key complaint-answer#<id>).
 */
import type { Actor } from '../domain/case';
import type { Catalog } from '../domain/catalog';
import { chinaDate, toChinaIso } from '../domain/china-time';
import {
  applyComplaintAction,
  allowedComplaintActions,
  openComplaint,
  type Complaint,
  type ComplaintAction,
  type ComplaintChannel,
} from '../domain/complaint';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { maskName, maskPhone } from '../domain/identity';
import { maskedHistory, maskedText } from '../domain/views';
import type { FeedbackSettings } from '../domain/rating';
import type { Events } from '../adapters/events';
import type { Clock } from '../adapters/ports';
import type { CalendarRepository } from '../store/calendar-repository';
import type { CaseRepository } from '../store/case-repository';
import type { ComplaintRepository } from '../store/complaint-repository';
import { keys } from '../store/keys';
import { pendingEffectsOf, withoutOutbox } from '../store/outbox-repository';
import { carryOutEffects, publishEffect, recordEffects, type OutboxDeps } from './outbox';

export interface ComplaintDeps extends OutboxDeps {
  complaints: ComplaintRepository;
  cases: CaseRepository;
  catalog: Catalog;
  calendar: CalendarRepository;
  clock: Clock;
  events: Events;
  feedback: FeedbackSettings;
}

export interface ComplaintInput {
  who: string;
  /** Mainland mobile number: the answer goes there by SMS. */
  contact: string;
  caseNo?: string;
  text: string;
  channel?: ComplaintChannel;
}

/** Receives a complaint; due the set working days after the day received. Staff may register a call or a letter. */
export async function submitComplaint(
  input: ComplaintInput,
  actor: Actor | undefined,
  deps: ComplaintDeps,
): Promise<Complaint> {
  if (!actor && input.channel && input.channel !== 'online') {
    throw new ValidationError([
      { field: 'channel', message: 'a complaint made online is "online"; staff register phone and mailbox complaints' },
    ]);
  }
  if (actor && actor.role !== 'window' && actor.role !== 'supervisor') {
    throw new ForbiddenError('only window staff and supervisors register complaints received by phone or letter');
  }
  const now = deps.clock.now();
  const today = chinaDate(now);
  const calendar = await deps.calendar.current();
  // The department complained about, when the complaint names a case (unknown numbers are kept as typed, nothing more is revealed).
  const named = input.caseNo ? await deps.cases.get(input.caseNo.trim().toUpperCase()) : undefined;
  const complaint = openComplaint(
    {
      id: await deps.complaints.nextNumber(today),
      channel: actor ? (input.channel ?? 'phone') : 'online',
      who: input.who,
      contact: input.contact,
      caseNo: named?.caseNo ?? input.caseNo,
      department: named?.department,
      text: input.text,
      receivedAt: toChinaIso(now),
      due: calendar.addWorkingDays(today, deps.feedback.complaintWorkingDays),
    },
    actor ?? { id: 'complainant', role: 'applicant' },
  );
  await deps.complaints.create(complaint);
  return complaint;
}

/** A complaint as staff see it: the complainant's name and number masked, and phone and ID numbers in its text, answer and notes. */
export function complaintView(c: Complaint) {
  return {
    ...maskedText(withoutOutbox(c), ['text', 'answer']),
    who: maskName(c.who),
    contact: maskPhone(c.contact),
    history: maskedHistory(c.history),
    allowed: allowedComplaintActions(c.state),
  };
}

export async function openComplaints(deps: Pick<ComplaintDeps, 'complaints'>): Promise<Complaint[]> {
  return (await deps.complaints.open()).sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

/** The unanswered complaints transferred or supervised to the caller's department: the ones its staff may answer. */
export async function assignedComplaints(actor: Actor, deps: Pick<ComplaintDeps, 'complaints'>): Promise<Complaint[]> {
  const department = actor.department ?? '';
  return (await openComplaints(deps)).filter(
    (c) => c.handlingDepartment === department && (c.state === 'transferred' || c.state === 'supervised'),
  );
}

/** Handle, transfer, supervise (supervisors) or answer; an answer is sent to the complainant by SMS. */
export async function actOnComplaint(
  id: string,
  action: ComplaintAction,
  actor: Actor,
  deps: ComplaintDeps,
): Promise<Complaint> {
  if (
    (action.type === 'transfer' || action.type === 'supervise') &&
    !deps.catalog.department(action.department.trim())
  ) {
    throw new ValidationError([
      { field: 'department', message: `"${action.department}" is not a department of the hall` },
    ]);
  }
  for (let attempt = 0; ; attempt++) {
    const c = await deps.complaints.get(id);
    if (!c) throw new NotFoundError(`complaint ${id}`);
    const applied = applyComplaintAction(c, action, actor, toChinaIso(deps.clock.now()));
    const key = keys.complaint(c.id);
    // The answer SMS is recorded with the answer (the outbox) and carried out right after.
    const next =
      applied.state === 'answered' && c.state !== 'answered'
        ? recordEffects(applied, key, [
            publishEffect({ type: 'complaint.answered', complaintId: applied.id }, applied.version),
          ])
        : applied;
    try {
      await deps.complaints.save(next, c.version);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 1) throw error;
      continue;
    }
    await carryOutEffects(key, next.version, { ...next }, pendingEffectsOf(next), deps);
    return withoutOutbox(next);
  }
}
