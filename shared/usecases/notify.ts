/**
 * What the notify function does with each event: compose the SMS from the stored record and
 * send it through the Sms port under a key that makes it once per case (or complaint) and
 * kind. The event is delivered at least once (EventBridge and Lambda retry); the key turns
 * every repeat into a no-op. The number is read from the record, never carried by the event.
 */
import { isDecided } from '../domain/rating';
import {
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
}

export const smsKeys = {
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
  if (!c || !isDecided(c)) {
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

  function skip(e: DomainEvent, why: string): undefined {
    deps.logger.warn('nothing to send', {
      type: e.type,
      why,
      ref: 'caseNo' in e ? e.caseNo : 'complaintId' in e ? e.complaintId : e.ref,
    });
    return undefined;
  }
}
