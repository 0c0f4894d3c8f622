/**
 * Alibaba Cloud SMS (阿里云短信服务) behind the SmsTransport port, through its official SDK
 * (@alicloud/dysmsapi20170525, SendSms, signed ACS3-HMAC-SHA256 by the SDK).
 *
 * The port hands over a composed text of SMS_TEMPLATES; this transport finds which template it
 * is and its variables (shared/domain/provider-sms.ts), fits them to the registered text with
 * the signature in one 70-character segment, checks the per-phone send limits, and sends the
 * template code with its parameters. The Sms port's key goes as OutId, so the delivery receipt
 * (SmsReport, with out_id) finds its message record; the provider's BizId is the message id.
 *
 * Failures: a refused limit (ours or the provider's isv.BUSINESS_LIMIT_CONTROL and
 * isv.DAY_LIMIT_CONTROL) throws SmsLimitError, and any other refusal or network error throws
 * too, so the Sms port releases its claim and the caller's retry (Lambda's, then the on-failure
 * queue) tries again. The SDK does not retry: SendSms is not idempotent.
 *
 * Only the notify function loads this module (the SDK is 1.1 MB bundled): its lambda.ts passes
 * `aliyunSmsTransport` to the wiring, and the local runtime does the same.
 */
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { maskPhone, normalizeMobile } from '../domain/identity';
import { fitProviderMessage, readTemplateText } from '../domain/provider-sms';
import type { AliyunSmsConfig } from '../config';
import type { SmsLimitRepository } from '../store/sms-limit-repository';
import type { Clock, SmsMessage, SmsTransport } from './ports';
import type { PiiHasher } from './pii';

/** A send refused by a per-phone limit: retry after `retryAfterSeconds`. */
export class SmsLimitError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SmsLimitError';
  }
}

/** The provider refused a send (its Code is not OK). */
export class SmsProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`Alibaba Cloud SMS refused the message: ${code} ${message}`);
    this.name = 'SmsProviderError';
  }
}

const LIMIT_CODES = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isv.DAY_LIMIT_CONTROL', 'isv.MONTH_LIMIT_CONTROL']);

export interface AliyunTransportDeps {
  limits: SmsLimitRepository;
  hasher: PiiHasher;
  clock: Clock;
}

/** The SDK's client configuration for an endpoint written as a host (HTTPS) or a URL (the local fake: http://127.0.0.1:port). */
export function sdkConfig(config: AliyunSmsConfig): $OpenApiUtil.Config {
  if (!config.accessKeyId || !config.accessKeySecret) {
    throw new Error('Alibaba Cloud SMS: no AccessKey (the credentials secret was not read)');
  }
  const url = /^https?:\/\//.test(config.endpoint) ? new URL(config.endpoint) : new URL(`https://${config.endpoint}`);
  return new $OpenApiUtil.Config({
    accessKeyId: config.accessKeyId,
    accessKeySecret: config.accessKeySecret,
    endpoint: url.host,
    protocol: url.protocol.replace(':', ''),
    regionId: 'cn-hangzhou',
    connectTimeout: 2000,
    readTimeout: 5000,
  });
}

export class AliyunSmsTransport implements SmsTransport {
  private readonly client: Dysmsapi;

  constructor(
    private readonly config: AliyunSmsConfig,
    private readonly deps: AliyunTransportDeps,
  ) {
    this.client = new Dysmsapi(sdkConfig(config));
  }

  async deliver(message: SmsMessage): Promise<{ messageId?: string }> {
    const phone = normalizeMobile(message.to);
    if (!phone) throw new RangeError(`not a mainland mobile number: ${maskPhone(message.to)}`);
    const read = readTemplateText(message.text);
    if (!read) throw new RangeError(`SMS ${message.kind} (${message.key}) is none of the registered templates`);
    const fitted = fitProviderMessage(read.name, read.vars, this.config.templates[read.name], this.config.signName);

    const admission = await this.deps.limits.admit(
      this.deps.hasher.hash(phone),
      fitted.code,
      this.config.phoneLimits,
      this.deps.clock.now(),
    );
    if (!admission.ok) {
      const { scope, max, seconds } = admission.limit;
      throw new SmsLimitError(
        `per-phone limit ${scope}:${max}/${seconds}s reached for ${maskPhone(phone)}; retry in ${admission.retryAfterSeconds}s`,
        admission.retryAfterSeconds,
      );
    }

    const response = await this.client.sendSms(
      new SendSmsRequest({
        phoneNumbers: phone,
        signName: this.config.signName,
        templateCode: fitted.code,
        templateParam: JSON.stringify(fitted.params),
        outId: message.key,
      }),
    );
    const body = response.body;
    if (!body || body.code !== 'OK') {
      const code = body?.code ?? 'NoResponse';
      if (LIMIT_CODES.has(code))
        throw new SmsLimitError(`Alibaba Cloud SMS flow control: ${code} ${body?.message ?? ''}`);
      throw new SmsProviderError(code, body?.message ?? '');
    }
    return { messageId: body.bizId };
  }
}

/** The factory the notify function's entry (and the local runtime) hands to the wiring. */
export function aliyunSmsTransport(config: AliyunSmsConfig, deps: AliyunTransportDeps): SmsTransport {
  return new AliyunSmsTransport(config, deps);
}
