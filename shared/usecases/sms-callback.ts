/**
 * A push from the SMS provider (Alibaba Cloud SMS): its URL signature checked first, then each
 * uplink reply goes to the same reply handling as an SNS two-way reply (handleSmsReply: once
 * per message id, rating or clarification), and each delivery receipt is recorded on its
 * message. Everything is idempotent, so the provider's re-pushes change nothing; a receipt that
 * arrives before its send is recorded fails the push, and the provider pushes it again later.
 */
import type * as z from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { maskPhone } from '../domain/identity';
import {
  CALLBACK_KINDS,
  inboundFromSmsUp,
  providerTimeToIso,
  SmsReportItem,
  SmsUpItem,
  verifyCallbackSignature,
  type CallbackKind,
} from '../adapters/sms-aliyun-callback';
import type { SmsReceiptRepository, ReceiptOutcome } from '../store/sms-receipt-repository';
import { handleSmsReply, type ReplyDeps, type ReplyResult } from './ratings';

export interface SmsCallbackDeps extends ReplyDeps {
  /** The key that signs the callback URLs; unset: this deployment takes no provider pushes. */
  smsCallbackKey?: string;
  smsReceipts: SmsReceiptRepository;
}

export type CallbackResult =
  { kind: 'up'; replies: ReplyResult[] } | { kind: 'report'; receipts: Record<ReceiptOutcome, number> };

/** How long a receipt that arrived before its send was recorded waits, before the push is failed (the provider pushes again). */
const EARLY_RECEIPT_WAITS_MS = [50, 150, 400];

export class ReceiptTooEarlyError extends Error {
  constructor(count: number) {
    super(`${count} delivery receipt(s) arrived before their send was recorded: push again`);
    this.name = 'ReceiptTooEarlyError';
  }
}

export async function acceptSmsCallback(
  input: { kind: string; signature: unknown; body: Record<string, unknown>[] },
  deps: SmsCallbackDeps,
): Promise<CallbackResult> {
  if (!(CALLBACK_KINDS as readonly string[]).includes(input.kind))
    throw new NotFoundError(`the SMS push ${input.kind}`);
  if (!deps.smsCallbackKey) throw new NotFoundError('the SMS provider callback (no callback key is configured)');
  const kind = input.kind as CallbackKind;
  if (!verifyCallbackSignature(deps.smsCallbackKey, kind, input.signature)) {
    throw new ForbiddenError('the callback URL signature (sig) is not valid');
  }

  if (kind === 'up') {
    const items = readAll(SmsUpItem, input.body);
    const replies: ReplyResult[] = [];
    for (const item of items) replies.push(await handleSmsReply(inboundFromSmsUp(item), deps));
    return { kind, replies };
  }

  const items = readAll(SmsReportItem, input.body);
  const receipts: Record<ReceiptOutcome, number> = { recorded: 0, unknown: 0, 'not-yet': 0 };
  for (const item of items) {
    const receipt = item.out_id
      ? {
          key: item.out_id,
          messageId: item.biz_id,
          delivered: item.success,
          code: item.err_code,
          reportedAt: providerTimeToIso(item.report_time),
          segments: item.sms_size === undefined ? undefined : Number(item.sms_size),
        }
      : undefined;
    let outcome: ReceiptOutcome = receipt ? await deps.smsReceipts.record(receipt) : 'unknown';
    // The port marks the message sent right after the provider answers: give it a moment.
    for (let attempt = 0; receipt && outcome === 'not-yet' && attempt < EARLY_RECEIPT_WAITS_MS.length; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, EARLY_RECEIPT_WAITS_MS[attempt]));
      outcome = await deps.smsReceipts.record(receipt);
    }
    receipts[outcome]++;
    if (outcome === 'unknown') {
      deps.logger.warn('sms receipt for no message of ours', { bizId: item.biz_id, to: maskPhone(item.phone_number) });
    }
  }
  if (receipts['not-yet'] > 0) throw new ReceiptTooEarlyError(receipts['not-yet']);
  return { kind, receipts };
}

function readAll<T>(schema: z.ZodType<T>, body: unknown[]): T[] {
  return body.map((entry, i) => {
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.map(String).join('.');
      throw new ValidationError([{ field: `[${i}]${path ? `.${path}` : ''}`, message: issue.message }]);
    }
    return parsed.data;
  });
}
