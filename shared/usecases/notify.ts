/**
 * What the notify function does with each event: compose the SMS from the stored record and
 * send it through the Sms port under a key that makes it once per case (or complaint) and
 * kind. The event is delivered at least once (EventBridge and Lambda retry); the key turns
 * every repeat into a no-op. The number is read from the record, never carried by the event.
 *
 * The applicant is told at every step, one SMS per step: the receipt with the query code
 * (case.received; when materials were missing at receipt, the notice to supplement follows it),
 * the acceptance with the committed deadline (case.accepted), each return for supplement with
 * how many materials and by when (case.returned, keyed by the notice's instant, so a second
 * return is a second SMS and a repeat of one is none), a deemed withdrawal (case.withdrawn-deemed),
 * and the decision (case.decided). Each is sent only while the case still is where the event
 * left it: a late repeat of an old step sends nothing.
 */
import type { CaseRecord } from '../domain/case';
import { supplementDueOf } from '../domain/deemed-withdrawal';
import { queryCodeOfCase } from '../domain/query-code';
import { isDecided } from '../domain/rating';
import {
  acceptedNotice,
  deemedWithdrawnNotice,
  receiptNotice,
  supplementNotice,
  clarification,
  completionNotice,
  complaintAnswer,
  deadlineWarning,
  followupNotice,
} from '../domain/sms-templates';
import type { Catalog } from '../domain/catalog';
import { isOfficeCard, warningCard } from '../domain/supervision';
import type { StaffDirectory } from '../domain/staff';
import { maskPhone, smsPhone } from '../domain/identity';
import type { DomainEvent } from '../adapters/events';
import type { Logger } from '../adapters/logger';
import type { Sms, SmsResult } from '../adapters/ports';
import type { PiiHasher } from '../adapters/pii';
import type { CalendarRepository } from '../store/calendar-repository';
import type { CaseRepository } from '../store/case-repository';
import type { ComplaintRepository } from '../store/complaint-repository';
import { sendCodeIfWired, type SendCodeDeps } from './one-time-codes';

export interface NotifyDeps {
  cases: CaseRepository;
  complaints: ComplaintRepository;
  sms: Sms;
  logger: Logger;
  staff: StaffDirectory;
  catalog: Catalog;
  /** Derives the receipt's query code from the case's salt (the code itself is never stored). */
  hasher: PiiHasher;
  calendar: CalendarRepository;
}

export const smsKeys = {
  receipt: (caseNo: string) => `receipt#${caseNo}`,
  acceptance: (caseNo: string) => `acceptance#${caseNo}`,
  /** Once per notice: a case returned twice (pre-review, then a reviewer) gets two. */
  supplementNotice: (caseNo: string, at: string) => `supplement-notice#${caseNo}#${at}`,
  deemedWithdrawal: (caseNo: string) => `deemed-withdrawal#${caseNo}`,
  completion: (caseNo: string) => `completion#${caseNo}`,
  clarification: (caseNo: string) => `clarification#${caseNo}`,
  followup: (caseNo: string) => `followup#${caseNo}`,
  complaintAnswer: (id: string) => `complaint-answer#${id}`,
  /** Once per item and colour (and supervisor, for the supervisors' cards): the supervision sweep may see the same colour many times. */
  warning: (ref: string, colour: string, supervisor?: string) =>
    supervisor === undefined ? `warning#${ref}#${colour}` : `warning#${ref}#${colour}#${supervisor}`,
};

/** Sends the SMS an event calls for; undefined when there is nothing to send (logged). */
export async function notify(
  event: DomainEvent,
  deps: NotifyDeps & Partial<Omit<SendCodeDeps, keyof NotifyDeps>>,
): Promise<SmsResult | undefined> {
  if (event.type === 'code.requested') return sendCodeIfWired(event, deps);
  if (event.type === 'complaint.answered') {
    const complaint = await deps.complaints.get(event.complaintId);
    if (!complaint?.answer) {
      skip(event, 'the complaint is not answered');
      return;
    }
    return deps.sms.send({
      to: complaint.contact,
      text: complaintAnswer({ complaintNo: complaint.id, answerSummary: complaint.answer }),
      kind: 'complaint-answer',
      key: smsKeys.complaintAnswer(complaint.id),
    });
  }

  if (event.type === 'deadline.warning') {
    const to = deps.staff.phoneOf(event.staffId);
    if (!to) {
      skip(event, `no phone number for staff ${event.staffId}: the warning is recorded without a card`);
      return;
    }
    const result = await deps.sms.send({
      to,
      text: deadlineWarning(warningCard(event, deps.catalog)),
      kind: 'deadline-warning',
      key: smsKeys.warning(event.ref, event.colour, isOfficeCard(event) ? event.staffId : undefined),
    });
    deps.logger.info('deadline card', {
      ref: event.ref,
      colour: event.colour,
      staffId: event.staffId,
      to: maskPhone(to),
    });
    return result;
  }

  const c = await deps.cases.get(event.caseNo);
  if (!c) {
    skip(event, 'no such case');
    return;
  }
  if (
    event.type === 'case.received' ||
    event.type === 'case.accepted' ||
    event.type === 'case.returned' ||
    event.type === 'case.withdrawn-deemed'
  ) {
    return tellStep(event, c);
  }
  if (!isDecided(c)) {
    skip(event, 'the case is not decided');
    return;
  }
  const to = smsPhone(c);
  switch (event.type) {
    case 'case.decided':
      return deps.sms.send({
        to,
        text: completionNotice({
          caseNo: c.caseNo,
          outcome: c.status === 'approved' ? 'approve' : 'deny',
          delivery: c.delivery,
        }),
        kind: 'completion',
        key: smsKeys.completion(c.caseNo),
      });
    case 'reply.unreadable':
      return deps.sms.send({
        to,
        text: clarification({ caseNo: c.caseNo }),
        kind: 'clarification',
        key: smsKeys.clarification(c.caseNo),
      });
    case 'followup.opened':
      return deps.sms.send({
        to,
        text: followupNotice({ caseNo: c.caseNo }),
        kind: 'followup',
        key: smsKeys.followup(c.caseNo),
      });
  }

  /** The SMS of a step of the case before its decision. */
  async function tellStep(
    e: Extract<DomainEvent, { type: 'case.received' | 'case.accepted' | 'case.returned' | 'case.withdrawn-deemed' }>,
    c: CaseRecord,
  ): Promise<SmsResult | undefined> {
    const to = smsPhone(c);
    switch (e.type) {
      case 'case.received': {
        const queryCode = queryCodeOfCase(c, (v) => deps.hasher.hash(v));
        if (!queryCode) {
          skip(e, 'the case has no query code');
          return;
        }
        const receipt = await deps.sms.send({
          to,
          text: receiptNotice({ caseNo: c.caseNo, queryCode }),
          kind: 'receipt',
          key: smsKeys.receipt(c.caseNo),
        });
        // Materials missing at receipt: the one-time notice was given with the receipt (and is
        // still the one in force: no return since).
        const atIntake = c.history[0]?.to === 'supplement-required' ? c.history[0].at : undefined;
        const stillThatNotice = c.status === 'supplement-required' && !c.history.some((h) => h.action === 'return');
        if (atIntake && stillThatNotice) await sendSupplementNotice(c, atIntake);
        return receipt;
      }
      case 'case.accepted':
        if (!c.acceptedAt || !c.deadlines) {
          skip(e, 'the case is not accepted');
          return;
        }
        if (isDecided(c)) {
          skip(e, 'the case is decided already: the completion SMS tells the applicant');
          return;
        }
        return deps.sms.send({
          to,
          text: acceptedNotice({ caseNo: c.caseNo, due: c.deadlines.committed }),
          kind: 'acceptance',
          key: smsKeys.acceptance(c.caseNo),
        });
      case 'case.returned':
        if (c.status !== 'supplement-required') {
          skip(e, 'the case is no longer waiting on a supplement');
          return;
        }
        return sendSupplementNotice(c, e.at);
      case 'case.withdrawn-deemed': {
        const due = c.notice?.supplementDue;
        if (c.status !== 'withdrawn' || !due) {
          skip(e, 'the case is not deemed withdrawn');
          return;
        }
        return deps.sms.send({
          to,
          text: deemedWithdrawnNotice({ caseNo: c.caseNo, due }),
          kind: 'deemed-withdrawal',
          key: smsKeys.deemedWithdrawal(c.caseNo),
        });
      }
    }
  }

  async function sendSupplementNotice(c: CaseRecord, at: string): Promise<SmsResult | undefined> {
    const notice = c.notice;
    if (!notice || notice.missing.length === 0) return undefined;
    const item = deps.catalog.item(c.itemCode);
    const due = item ? supplementDueOf(c, item, await deps.calendar.current()) : notice.supplementDue;
    if (!due) return undefined;
    return deps.sms.send({
      to: smsPhone(c),
      text: supplementNotice({ caseNo: c.caseNo, count: notice.missing.length, due }),
      kind: 'supplement-notice',
      key: smsKeys.supplementNotice(c.caseNo, at),
    });
  }

  function skip(e: DomainEvent, why: string): undefined {
    deps.logger.warn('nothing to send', {
      type: e.type,
      why,
      ref: 'caseNo' in e ? e.caseNo : 'complaintId' in e ? e.complaintId : e.ref,
    });
    return undefined;
  }
}
