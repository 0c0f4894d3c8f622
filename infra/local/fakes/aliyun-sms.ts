/**
 * A local fake of Alibaba Cloud SMS (dysmsapi, API version 2017-05-25) on 127.0.0.1, for the
 * tests and for `npm start` with SMS_PROVIDER=aliyun: the real SDK sends to it, and it
 *
 *   - checks every request's ACS3-HMAC-SHA256 signature the way the provider does (canonical
 *     request from the method, path, query, the x-acs-* / host / content-type headers and the
 *     body's SHA-256; the AccessKey secret it was given), the date (15 minutes) and the nonce
 *     (once), and answers the provider's errors (SignatureDoesNotMatch, InvalidAccessKeyId...);
 *   - accepts SendSms for its registered signature and templates, renders the message as the
 *     phone would show it, counts its segments, applies the provider's notification limit (one
 *     signature, template and number: 50 per 24 hours) and answers {Code: 'OK', BizId};
 *   - pushes a delivery receipt (SmsReport) to the report URL, and an uplink reply (SmsUp) to the
 *     up URL when `reply()` is called, as the provider's HTTP batch push does.
 *
 * Run on its own: `npm run fake:aliyun-sms` (README, "SMS in mainland China").
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderProviderText, type ProviderTemplates } from '../../../shared/domain/provider-sms';
import { smsSegments } from '../../../shared/domain/sms-templates';

export interface FakeAliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: ProviderTemplates;
  /** Where receipts (SmsReport) and replies (SmsUp) are pushed: full URLs, as entered in the SMS console. */
  reportUrl?: string;
  upUrl?: string;
  port?: number;
  /** The provider's own per-number limit for notifications (default 50 per 24 hours). */
  perTemplateDailyLimit?: number;
  /** A push not answered 200 is pushed again after these delays (the provider: 1, 5 and 10 minutes). */
  retryDelaysMs?: readonly number[];
}

export interface FakeSentMessage {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  outId?: string;
  bizId: string;
  /** As the phone shows it, signature included. */
  text: string;
  segments: number;
  at: Date;
}

export interface FakePush {
  kind: 'report' | 'up';
  url: string;
  status: number;
  body: unknown;
}

export interface FakeAliyunSms {
  endpoint: string;
  sent: FakeSentMessage[];
  /** Every request the fake refused, with the provider's error code. */
  refused: { code: string; message: string }[];
  pushes: FakePush[];
  setCallbacks(urls: { reportUrl?: string; upUrl?: string }): void;
  /** An applicant replies by SMS: pushes an SmsUp to the up URL; resolves with the push's HTTP status. */
  reply(phone: string, content: string): Promise<number>;
  /** Waits until every push started so far has been answered. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const ALGORITHM = 'ACS3-HMAC-SHA256';

/** RFC 3986 percent-encoding, as the provider's canonical query string uses it. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The provider's wall-clock time in China, 2017-09-01 00:00:00. */
function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeAliyunSms(options: FakeAliyunSmsOptions): Promise<FakeAliyunSms> {
  const sent: FakeSentMessage[] = [];
  const refused: { code: string; message: string }[] = [];
  const pushes: FakePush[] = [];
  const pending = new Set<Promise<unknown>>();
  const nonces = new Set<string>();
  let callbacks = { reportUrl: options.reportUrl, upUrl: options.upUrl };
  let sequence = 1_000_000;
  let stopped = false;
  const limit = options.perTemplateDailyLimit ?? 50;

  const retryDelays = options.retryDelaysMs ?? [60_000, 300_000, 600_000];
  const sleeping = new Map<NodeJS.Timeout, () => void>();
  /** A wait that stop() cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleeping.delete(timer);
        resolve();
      }, ms);
      sleeping.set(timer, resolve);
    });
  const attempt = async (kind: FakePush['kind'], url: string, body: unknown): Promise<number> => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      pushes.push({ kind, url, status: res.status, body: await res.json().catch(() => undefined) });
      return res.status;
    } catch {
      pushes.push({ kind, url, status: 0, body: undefined });
      return 0;
    }
  };
  /** One push, and its retries while it is not answered 200; resolves with the last status. */
  const push = (kind: FakePush['kind'], body: unknown): Promise<number> => {
    const url = kind === 'report' ? callbacks.reportUrl : callbacks.upUrl;
    if (!url) return Promise.resolve(0);
    const done = (async () => {
      let status = await attempt(kind, url, body);
      for (const delay of retryDelays) {
        if (status === 200 || stopped) break;
        await sleep(delay);
        status = await attempt(kind, url, body);
      }
      return status;
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
    return done;
  };

  function verify(req: IncomingMessage, url: URL, body: Buffer): void {
    const authorization = req.headers.authorization ?? '';
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
    if (!m) throw new Refusal(400, 'MissingAuthorization', 'no ACS3-HMAC-SHA256 Authorization header');
    const [, accessKeyId, signedHeadersText, signature] = m;
    if (accessKeyId !== options.accessKeyId) throw new Refusal(404, 'InvalidAccessKeyId.NotFound', 'unknown AccessKey');
    const date = Date.parse(String(req.headers['x-acs-date']));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) {
      throw new Refusal(400, 'InvalidTimeStamp.Expired', 'x-acs-date is missing or more than 15 minutes off');
    }
    const nonce = String(req.headers['x-acs-signature-nonce'] ?? '');
    if (!nonce || nonces.has(nonce))
      throw new Refusal(400, 'SignatureNonceUsed', 'the signature nonce was used before');
    if (req.headers['x-acs-content-sha256'] !== sha256Hex(body)) {
      throw new Refusal(400, 'InvalidContentSha256', 'x-acs-content-sha256 is not the SHA-256 of the body');
    }
    const signedHeaders = signedHeadersText.split(';');
    for (const required of ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce']) {
      if (!signedHeaders.includes(required))
        throw new Refusal(400, 'SignatureDoesNotMatch', `${required} is not signed`);
    }
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
    const query = [...url.searchParams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    const canonicalRequest = [
      req.method,
      url.pathname,
      query,
      canonicalHeaders,
      signedHeaders.join(';'),
      sha256Hex(body),
    ].join('\n');
    const expected = createHmac('sha256', options.accessKeySecret)
      .update(`${ALGORITHM}\n${sha256Hex(canonicalRequest)}`)
      .digest('hex');
    if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
      throw new Refusal(400, 'SignatureDoesNotMatch', 'the request signature does not match');
    }
    nonces.add(nonce);
  }

  /** SendSms: business errors come back as HTTP 200 with a Code that is not OK, as the provider answers them. */
  function sendSms(q: URLSearchParams): Record<string, unknown> {
    const requestId = randomUUID();
    const fail = (code: string, message: string) => {
      refused.push({ code, message });
      return { Code: code, Message: message, RequestId: requestId };
    };
    const phone = q.get('PhoneNumbers') ?? '';
    if (!/^1[3-9]\d{9}$/.test(phone)) return fail('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (q.get('SignName') !== options.signName) return fail('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    const code = q.get('TemplateCode') ?? '';
    const template = Object.values(options.templates).find((t) => t.code === code);
    if (!template) return fail('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let params: Record<string, string>;
    try {
      params = JSON.parse(q.get('TemplateParam') ?? '{}') as Record<string, string>;
    } catch {
      return fail('isv.INVALID_JSON_PARAM', 'JSON参数不合法');
    }
    const missing = [...template.text.matchAll(/\$\{(\w+)\}/g)].map((v) => v[1]).filter((v) => !(v in params));
    if (missing.length) return fail('isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量 ${missing.join(',')}`);
    const now = new Date();
    const recent = sent.filter(
      (s) => s.phone === phone && s.templateCode === code && now.getTime() - s.at.getTime() < 86_400_000,
    );
    if (recent.length >= limit) return fail('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:50');
    const bizId = `${++sequence}^0`;
    const text = renderProviderText(options.signName, template.text, params);
    const message: FakeSentMessage = {
      phone,
      signName: options.signName,
      templateCode: code,
      params,
      outId: q.get('OutId') ?? undefined,
      bizId,
      text,
      segments: smsSegments(text),
      at: now,
    };
    sent.push(message);
    void push('report', [
      {
        phone_number: phone,
        send_time: chinaTime(now),
        report_time: chinaTime(new Date()),
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: String(message.segments),
        biz_id: bizId,
        out_id: message.outId,
      },
    ]);
    return { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId };
  }

  const reply = (phone: string, content: string) =>
    push('up', [
      {
        phone_number: phone,
        send_time: chinaTime(new Date()),
        content,
        sign_name: options.signName,
        dest_code: '1234',
        sequence_id: ++sequence,
      },
    ]);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify(payload));
      };
      // The fake's own controls (no signature: they are not the provider's API).
      if (url.pathname === '/_fake/sent' && req.method === 'GET') {
        answer(200, { sent, refused, pushes });
        return;
      }
      if (url.pathname === '/_fake/reply' && req.method === 'POST') {
        const { phone, content } = JSON.parse(body.toString('utf8') || '{}') as { phone?: string; content?: string };
        if (!phone || !content) {
          answer(400, { error: 'POST {"phone": "...", "content": "..."}' });
          return;
        }
        void reply(phone, content).then((status) => {
          answer(202, { pushed: status });
        });
        return;
      }
      try {
        verify(req, url, body);
        const action = String(req.headers['x-acs-action'] ?? '');
        if (req.headers['x-acs-version'] !== '2017-05-25') throw new Refusal(400, 'InvalidVersion', 'not 2017-05-25');
        if (action !== 'SendSms') throw new Refusal(404, 'InvalidAction.NotFound', `${action} is not faked`);
        answer(200, sendSms(url.searchParams));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refused.push({ code: error.code, message: error.message });
        answer(error.status, { Code: error.code, Message: error.message, RequestId: randomUUID() });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    sent,
    refused,
    pushes,
    setCallbacks: (urls) => {
      callbacks = { ...callbacks, ...urls };
    },
    reply,
    settled: async () => {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        for (const [timer, wake] of sleeping) {
          clearTimeout(timer);
          wake();
        }
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** `npm run fake:aliyun-sms`: the fake on FAKE_ALIYUN_PORT (default 3100), with the settings `npm start` is given. */
if (require.main === module) {
  const env = process.env;
  const templates = env.ALIYUN_SMS_TEMPLATES
    ? (JSON.parse(env.ALIYUN_SMS_TEMPLATES) as ProviderTemplates)
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../../../cdk.json') as { context: { aliyunSms: { templates: ProviderTemplates } } }).context.aliyunSms
        .templates;
  void startFakeAliyunSms({
    accessKeyId: env.ALIYUN_SMS_ACCESS_KEY_ID ?? 'LTAI-local-fake',
    accessKeySecret: env.ALIYUN_SMS_ACCESS_KEY_SECRET ?? 'local-fake-secret',
    signName: env.ALIYUN_SMS_SIGN_NAME ?? '示例市政务服务中心',
    templates,
    reportUrl: env.FAKE_ALIYUN_REPORT_URL,
    upUrl: env.FAKE_ALIYUN_UP_URL,
    port: Number(env.FAKE_ALIYUN_PORT ?? 3100),
  }).then((fake) => {
    console.log(`Alibaba Cloud SMS fake on ${fake.endpoint}: GET /_fake/sent, POST /_fake/reply {"phone","content"}`);
  });
}
