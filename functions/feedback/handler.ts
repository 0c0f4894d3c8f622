/**
 * The feedback function: SMS replies (an SNS event from two-way SMS), online ratings,
 * bad-rating follow-ups and complaints. One Lambda, two kinds of event: SNS records go to the
 * reply handler, everything else is an HTTP request for the route table's feedback routes.
 * The local runtime's POST /_local/sms/inbound builds the same SNS event and feeds it to the
 * same reply handler.
 */
import type { Context, SNSEvent } from 'aws-lambda';
import { NotFoundError } from '../../shared/domain/errors';
import { maskPhone } from '../../shared/domain/identity';
import { inboundSnsEvent, isSnsEvent, readInboundSms } from '../../shared/adapters/inbound-sms';
import { httpFunction } from '../../shared/http/function';
import type { HttpEvent } from '../../shared/http/types';
import type { OperationsOf } from '../../shared/http/operation';
import {
  actOnComplaint,
  assignedComplaints,
  complaintView,
  openComplaints,
  submitComplaint,
} from '../../shared/usecases/complaints';
import { actOnFollowUp, followUpView, openFollowUps, rateFix } from '../../shared/usecases/followups';
import { handleSmsReply, rateOnline, type ReplyResult } from '../../shared/usecases/ratings';
import { acceptSmsCallback } from '../../shared/usecases/sms-callback';
import { CALLBACK_ACK } from '../../shared/adapters/sms-aliyun-callback';
import type { AppDeps } from '../../shared/wiring';

/** Every record of an SNS event; a record that is not a two-way SMS payload is logged and dropped. */
export async function handleSnsEvent(event: SNSEvent, deps: AppDeps): Promise<ReplyResult[]> {
  const results: ReplyResult[] = [];
  for (const record of event.Records) {
    const reply = readInboundSms(record);
    if (!reply) {
      deps.logger.warn('sns message is not an SMS reply', { messageId: record.Sns.MessageId });
      continue;
    }
    results.push(await handleSmsReply(reply, deps));
  }
  return results;
}

export const operations: OperationsOf<'feedback', AppDeps> = {
  rateOnline: async ({ params, body, headers }, deps) => {
    const { caseNo, rating } = await rateOnline(params.caseNo, { ...body, queryCode: headers['x-query-code'] }, deps);
    if (!rating) throw new Error(`case ${caseNo} was rated but carries no rating`);
    return { body: { caseNo, rating: { level: rating.level, source: rating.source } } };
  },

  listFollowUps: async ({ actor }, deps) => ({
    body: { followUps: (await openFollowUps(actor, deps)).map(followUpView) },
  }),
  followUpAction: async ({ params, body, actor }, deps) => ({
    body: followUpView(await actOnFollowUp(params.id, body, actor, deps)),
  }),
  rateFix: async ({ params, body, headers }, deps) => {
    const f = await rateFix(params.id, { ...body, queryCode: headers['x-query-code'] }, deps);
    return { body: { id: f.id, caseNo: f.caseNo, state: f.state, fixRating: f.fixRating } };
  },

  submitComplaint: async ({ body, actor }, deps) => {
    const c = await submitComplaint(body, actor, deps);
    deps.logger.info('complaint received', { id: c.id, channel: c.channel, contact: maskPhone(c.contact) });
    return {
      status: 201,
      headers: { location: `/complaints/${c.id}` },
      body: { id: c.id, state: c.state, receivedAt: c.receivedAt, due: c.due, contact: maskPhone(c.contact) },
    };
  },
  listComplaints: async (_req, deps) => ({ body: { complaints: (await openComplaints(deps)).map(complaintView) } }),
  listAssignedComplaints: async ({ actor }, deps) => ({
    body: { complaints: (await assignedComplaints(actor, deps)).map(complaintView) },
  }),
  complaintAction: async ({ params, body, actor }, deps) => ({
    body: complaintView(await actOnComplaint(params.id, body, actor, deps)),
  }),

  // The SMS provider's pushes (replies and receipts): answered as the provider expects.
  smsProviderPush: async ({ params, query, body }, deps) => {
    const { sig } = query;
    await acceptSmsCallback({ kind: params.kind, signature: sig, body: body }, deps);
    return { body: CALLBACK_ACK };
  },

  // Local runtime only (never deployed): the same SNS event AWS would deliver, and the outbox.
  localInbound: async ({ body }, deps) => {
    const event = inboundSnsEvent(body, deps.clock.now());
    const results = await handleSnsEvent(event, deps);
    await deps.localSms?.settled();
    return { status: 202, body: { messageId: event.Records[0].Sns.MessageId, results } };
  },
  localOutbox: async (_req, deps) => {
    if (!deps.localSms) throw new NotFoundError('the SMS outbox (it exists only in the local runtime)');
    const messages = await deps.localSms.outbox();
    return { body: { messages: messages.map(({ to, text, at, kind }) => ({ to, text, at, kind })) } };
  },
};

export const makeHandler = (deps: AppDeps) => {
  const http = httpFunction('feedback', operations, deps);
  // Anything that is not an SNS event is, by this function's triggers, an API Gateway request.
  return (event: unknown, context: Context) =>
    isSnsEvent(event) ? handleSnsEvent(event, deps) : http(event as HttpEvent, context);
};
