/**
 * What the notify function does with each event: compose the SMS from the stored record and
 * send it through the Sms port under a key that makes it once per case (or complaint) and
 * kind. The event is delivered at least once (EventBridge and Lambda retry); the key turns
 * every repeat into a no-op. The number is read from the record, never carried by the event.
 */
import { isDecided } from '../domain/rating';
import { clarification, completionNotice, complaintAnswer, followupNotice } from '../domain/sms-templates';
import type { DomainEvent } from '../adapters/events';
import type { Logger } from '../adapters/logger';
import type { Sms, SmsResult } from '../adapters/ports';
import type { CaseRepository } from '../store/case-repository';
import type { ComplaintRepository } from '../store/complaint-repository';

export interface NotifyDeps {
  cases: CaseRepository;
  complaints: ComplaintRepository;
  sms: Sms;
  logger: Logger;
}

export const smsKeys = {
  completion: (caseNo: string) => `completion#${caseNo}`,
  clarification: (caseNo: string) => `clarification#${caseNo}`,
  followup: (caseNo: string) => `followup#${caseNo}`,
  complaintAnswer: (id: string) => `complaint-answer#${id}`,
};

/** Sends the SMS an event calls for; undefined when there is nothing to send (logged). */
export async function notify(event: DomainEvent, deps: NotifyDeps): Promise<SmsResult | undefined> {
  if (event.type === 'complaint.answered') {
    const complaint = await deps.complaints.get(event.complaintId);
    if (!complaint?.answer) return skip(event, 'the complaint is not answered');
    return deps.sms.send({
      to: complaint.contact,
      text: complaintAnswer({ complaintNo: complaint.id, answerSummary: complaint.answer }),
      kind: 'complaint-answer',
      key: smsKeys.complaintAnswer(complaint.id),
    });
  }

  const c = await deps.cases.get(event.caseNo);
  if (!c || !isDecided(c)) return skip(event, 'the case is not decided');
  const to = c.applicant.phone;
  switch (event.type) {
    case 'case.decided':
      return deps.sms.send({
        to,
        text: completionNotice({ caseNo: c.caseNo, outcome: c.status === 'approved' ? 'approve' : 'deny', delivery: c.delivery }),
        kind: 'completion',
        key: smsKeys.completion(c.caseNo),
      });
    case 'reply.unreadable':
      return deps.sms.send({ to, text: clarification({ caseNo: c.caseNo }), kind: 'clarification', key: smsKeys.clarification(c.caseNo) });
    case 'followup.opened':
      return deps.sms.send({ to, text: followupNotice({ caseNo: c.caseNo }), kind: 'followup', key: smsKeys.followup(c.caseNo) });
  }

  function skip(e: DomainEvent, why: string): undefined {
    deps.logger.warn('nothing to send', { type: e.type, why, ref: 'caseNo' in e ? e.caseNo : e.complaintId });
    return undefined;
  }
}
