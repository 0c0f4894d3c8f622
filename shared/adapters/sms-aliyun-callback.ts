/**
 * Alibaba Cloud SMS pushes (HTTP 批量推送模式) into OneWindow: uplink replies (SmsUp, 上行短信)
 * and delivery receipts (SmsReport), each a JSON array POSTed to the URL configured in the SMS
 * console, answered with {"code":0,"msg":"接收成功"} (anything else, or no answer within a few
 * seconds, and the provider pushes again, 1, 5 and 10 minutes later).
 *
 * The provider signs nothing it pushes (no header, no field carries a signature), so the URL is
 * what is signed: the hall configures
 *
 *   https://<api>/sms/aliyun/up?sig=<HMAC-SHA256(callback key, "aliyun-sms:up") in hex>
 *   https://<api>/sms/aliyun/report?sig=<HMAC-SHA256(callback key, "aliyun-sms:report")>
 *
 * and `verifyCallbackSignature` checks it in constant time before anything is read. The key is
 * a Secrets Manager secret read at cold start (never in an environment variable); a leaked
 * report URL cannot post replies. Only HTTPS reaches the API, so the URL travels encrypted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { InboundSms } from './inbound-sms';

export const CALLBACK_KINDS = ['up', 'report'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

/** The hex HMAC that signs the callback URL of one kind. */
export function callbackSignature(key: string, kind: CallbackKind): string {
  return createHmac('sha256', key).update(`aliyun-sms:${kind}`).digest('hex');
}

export function verifyCallbackSignature(key: string, kind: CallbackKind, signature: unknown): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(callbackSignature(key, kind), 'hex'), Buffer.from(signature, 'hex'));
}

/** A China wall-clock time as the provider writes it, 2017-09-01 00:00:00. */
const ProviderTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be YYYY-MM-DD hh:mm:ss');
const Phone = z.string().min(11).max(20);

/** One uplink reply (SmsUp). */
export const SmsUpItem = z.object({
  phone_number: Phone,
  send_time: ProviderTime,
  content: z.string().max(500),
  sign_name: z.string().max(64).optional(),
  dest_code: z.string().max(32).optional(),
  sequence_id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]),
});
export type SmsUpItem = z.infer<typeof SmsUpItem>;

/** One delivery receipt (SmsReport). */
export const SmsReportItem = z.object({
  phone_number: Phone,
  send_time: ProviderTime.optional(),
  report_time: ProviderTime,
  success: z.boolean(),
  err_code: z.string().max(64),
  err_msg: z.string().max(256).optional(),
  sms_size: z.union([z.string().regex(/^\d{1,3}$/), z.number().int()]).optional(),
  biz_id: z.string().min(1).max(64),
  out_id: z.string().max(256).optional(),
});
export type SmsReportItem = z.infer<typeof SmsReportItem>;

/** The body of any push: an array (at most 1,000 entries); each kind's fields are checked by its reader. */
export const CallbackBody = z.array(z.record(z.string(), z.unknown())).max(1000);

export const CallbackQuery = z.object({
  sig: z.string().max(128).describe('HMAC-SHA256 of "aliyun-sms:<kind>" with the callback key, hex'),
});

/** The provider's acknowledgement: HTTP 200 and a numeric code. */
export const CALLBACK_ACK = { code: 0, msg: '接收成功' } as const;

/** The provider's wall-clock time (China) as an ISO instant with +08:00. */
export function providerTimeToIso(time: string): string {
  return `${time.replace(' ', 'T')}+08:00`;
}

/** An uplink reply as the reply handling reads every SMS reply; the sequence id makes a repeated push the same reply. */
export function inboundFromSmsUp(item: SmsUpItem): InboundSms {
  return { messageId: `aliyun-up-${item.sequence_id}`, from: item.phone_number, text: item.content };
}
