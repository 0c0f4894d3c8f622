/**
 * SMS through the Alibaba Cloud SMS adapter (issue 16): the AliyunSmsTransport (template read
 * back from the composed text, fitted to the registered template with the signature, the
 * per-phone limit kept in dynalite with a GetItem and a conditional PutItem, the official SDK's
 * signed SendSms) against the local fake of the provider, vs a bare ACS3-HMAC-SHA256 signed
 * SendSms request made here with node:http to the same fake. Sequential sends, in interleaved
 * rounds; p50 ratio. Every message goes to its own number, so no limit refuses one.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { AliyunSmsTransport, sdkConfig } from '../shared/adapters/sms-aliyun';
import { parsePhoneLimits, SUGGESTED_PROVIDER_TEXTS, TEMPLATE_NAMES } from '../shared/domain/provider-sms';
import type { ProviderTemplates } from '../shared/domain/provider-sms';
import { completionNotice } from '../shared/domain/sms-templates';
import { SmsLimitRepository } from '../shared/store/sms-limit-repository';
import { startFakeAliyunSms } from '../infra/local/fakes/aliyun-sms';
import { latencyStats, round, type Benchmark } from './lib';

const ROUNDS = 5;
const PER_ROUND = 60;
const WARMUP = 20;
const SIGN = '贵阳市政务服务中心';
const KEY = { id: 'LTAI5tBenchKey', secret: 'bench-secret-of-the-fake-provider' };
const TEMPLATES = Object.fromEntries(
  TEMPLATE_NAMES.map((name, i) => [name, { code: `SMS_${5000 + i}`, text: SUGGESTED_PROVIDER_TEXTS[name] }]),
) as ProviderTemplates;

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const encode = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The bare baseline: one SendSms, signed by hand as the provider specifies, over a keep-alive-free request. */
function bareSend(endpoint: URL, phone: string, caseNo: string): Promise<string> {
  const query: Record<string, string> = {
    PhoneNumbers: phone,
    SignName: SIGN,
    TemplateCode: TEMPLATES.completion.code,
    TemplateParam: JSON.stringify({ caseNo, outcome: '准予许可', delivery: '请凭回执到窗口领取' }),
    OutId: `completion#${caseNo}`,
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${k}=${encode(query[k])}`)
    .join('&');
  const headers: Record<string, string> = {
    host: endpoint.host,
    'x-acs-action': 'SendSms',
    'x-acs-content-sha256': sha256Hex(''),
    'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-version': '2017-05-25',
  };
  const signed = Object.keys(headers).sort();
  const canonical = [
    'POST',
    '/',
    canonicalQuery,
    signed.map((h) => `${h}:${headers[h]}\n`).join(''),
    signed.join(';'),
    sha256Hex(''),
  ].join('\n');
  const signature = createHmac('sha256', KEY.secret)
    .update(`ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`)
    .digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${KEY.id},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.hostname, port: endpoint.port, method: 'POST', path: `/?${canonicalQuery}`, headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          const parsed = JSON.parse(body) as { Code: string; BizId?: string };
          if (parsed.Code === 'OK' && parsed.BizId) resolve(parsed.BizId);
          else reject(new Error(`bare SendSms refused: ${body}`));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export const sms: Benchmark = {
  name: 'sms',
  description:
    'SMS through the Alibaba Cloud SMS adapter (SDK, limits, templates) vs a bare signed SendSms, same fake: p50',
  async run(ctx) {
    const runtime = await ctx.startRuntime();
    const fake = await startFakeAliyunSms({
      accessKeyId: KEY.id,
      accessKeySecret: KEY.secret,
      signName: SIGN,
      templates: TEMPLATES,
    });
    ctx.onCleanup(() => fake.stop());
    const transportConfig = {
      endpoint: fake.endpoint,
      signName: SIGN,
      templates: TEMPLATES,
      phoneLimits: parsePhoneLimits('template:50/24h'),
      accessKeyId: KEY.id,
      accessKeySecret: KEY.secret,
    };
    const transport = new AliyunSmsTransport(transportConfig, {
      limits: new SmsLimitRepository(runtime.deps.db, runtime.deps.tableName),
      hasher: runtime.deps.hasher,
      clock: runtime.clock,
    });
    const endpoint = new URL(fake.endpoint);
    let n = 0;
    const next = () => {
      n++;
      return { phone: `139${String(10_000_000 + n).slice(-8)}`, caseNo: `ENV-20260928-${String(n).padStart(5, '0')}` };
    };
    const viaAdapter = async () => {
      const { phone, caseNo } = next();
      const started = performance.now();
      await transport.deliver({
        to: phone,
        text: completionNotice({ caseNo, outcome: 'approve', delivery: 'pickup' }),
        kind: 'completion',
        key: `completion#${caseNo}`,
      });
      return performance.now() - started;
    };
    // The SDK alone (no template reading, no limit), to show where the adapter's time goes.
    const sdk = new Dysmsapi(sdkConfig(transportConfig));
    const viaSdk = async () => {
      const { phone, caseNo } = next();
      const started = performance.now();
      await sdk.sendSms(
        new SendSmsRequest({
          phoneNumbers: phone,
          signName: SIGN,
          templateCode: TEMPLATES.completion.code,
          templateParam: JSON.stringify({ caseNo, outcome: '准予许可', delivery: '请凭回执到窗口领取' }),
          outId: `completion#${caseNo}`,
        }),
      );
      return performance.now() - started;
    };
    const bare = async () => {
      const { phone, caseNo } = next();
      const started = performance.now();
      await bareSend(endpoint, phone, caseNo);
      return performance.now() - started;
    };

    for (let i = 0; i < WARMUP; i++) {
      await viaAdapter();
      await viaSdk();
      await bare();
    }
    const adapterSamples: number[] = [];
    const sdkSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < PER_ROUND; i++) adapterSamples.push(await viaAdapter());
      for (let i = 0; i < PER_ROUND; i++) sdkSamples.push(await viaSdk());
      for (let i = 0; i < PER_ROUND; i++) bareSamples.push(await bare());
    }
    const a = latencyStats(adapterSamples);
    const s = latencyStats(sdkSamples);
    const b = latencyStats(bareSamples);
    ctx.table(`SendSms to the fake, sequential, ${ROUNDS} interleaved rounds of ${PER_ROUND}`, [
      { path: 'adapter (SDK, limits, templates)', p50: round(a.p50, 2), p90: round(a.p90, 2), p99: round(a.p99, 2) },
      { path: 'the SDK alone', p50: round(s.p50, 2), p90: round(s.p90, 2), p99: round(s.p99, 2) },
      { path: 'bare signed request', p50: round(b.p50, 2), p90: round(b.p90, 2), p99: round(b.p99, 2) },
    ]);
    ctx.ratio('p50 latency: adapter / bare signed request', a.p50, b.p50);
    ctx.ratio('p99 latency: adapter / bare signed request', a.p99, b.p99);
    ctx.ratio('p50 latency: the SDK alone / bare signed request', s.p50, b.p50);
    ctx.check(
      'the fake refused nothing (every signature checked out)',
      fake.refused.length === 0,
      JSON.stringify(fake.refused.slice(0, 3)),
    );
    ctx.check('every send reached the fake', fake.sent.length === n, `${fake.sent.length} of ${n}`);
  },
};
