/**
 * SMS through Alibaba Cloud SMS, end to end in one process: the local runtime with
 * SMS_PROVIDER=aliyun sends through the official SDK to the local fake of the provider
 * (infra/local/fakes/aliyun-sms.ts, 127.0.0.1), which checks each request's ACS3 signature,
 * pushes the delivery receipt back to POST /sms/aliyun/report and the applicant's reply to
 * POST /sms/aliyun/up, each URL signed with the callback key.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/store/keys';
import { callbackSignature } from '../../shared/adapters/sms-aliyun-callback';
import { SUGGESTED_PROVIDER_TEXTS, TEMPLATE_NAMES, type ProviderTemplates } from '../../shared/domain/provider-sms';
import { startFakeAliyunSms, type FakeAliyunSms } from '../../infra/local/fakes/aliyun-sms';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materials = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

const TEMPLATES = Object.fromEntries(
  TEMPLATE_NAMES.map((name, i) => [name, { code: `SMS_${4000 + i}`, text: SUGGESTED_PROVIDER_TEXTS[name] }]),
) as ProviderTemplates;
const SIGN = '贵阳市政务服务中心';
const ACCESS_KEY = { id: 'LTAI5tTestKeyId', secret: 'test-secret-of-the-fake-provider' };
const CALLBACK_KEY = 'callback-key-for-the-tests-0123456789';

function aliyunEnv(endpoint: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SMS_PROVIDER: 'aliyun',
    ALIYUN_SMS_ENDPOINT: endpoint,
    ALIYUN_SMS_SIGN_NAME: SIGN,
    ALIYUN_SMS_TEMPLATES: JSON.stringify(TEMPLATES),
    ALIYUN_SMS_ACCESS_KEY_ID: ACCESS_KEY.id,
    ALIYUN_SMS_ACCESS_KEY_SECRET: ACCESS_KEY.secret,
    SMS_CALLBACK_KEY: CALLBACK_KEY,
    ...overrides,
  };
}

describe('SMS through Alibaba Cloud SMS (the SDK against the local fake of the provider)', () => {
  let fake: FakeAliyunSms;
  let h: Harness;
  let window: string;

  async function decidedCase(phone: string): Promise<string> {
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materials, { ...APPLICANT, phone }),
    });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    await h.events.settled();
    await fake.settled();
    return caseNo;
  }
  const smsRecord = async (key: string) => (await h.allItems()).find((i) => i.pk === keys.sms(key).pk);
  const push = (kind: string, body: unknown, sig = callbackSignature(CALLBACK_KEY, kind as 'up' | 'report')) =>
    h.call('POST', `/sms/aliyun/${kind}?sig=${sig}`, { body });

  beforeAll(async () => {
    fake = await startFakeAliyunSms({
      accessKeyId: ACCESS_KEY.id,
      accessKeySecret: ACCESS_KEY.secret,
      signName: SIGN,
      templates: TEMPLATES,
      retryDelaysMs: [20, 100, 500],
    });
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00', env: aliyunEnv(fake.endpoint) });
    fake.setCallbacks({
      reportUrl: `${h.url}/sms/aliyun/report?sig=${callbackSignature(CALLBACK_KEY, 'report')}`,
      upUrl: `${h.url}/sms/aliyun/up?sig=${callbackSignature(CALLBACK_KEY, 'up')}`,
    });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
  });
  afterAll(async () => {
    await h.stop();
    await fake.stop();
  });

  it('sends the completion notice as its registered template and parameters, signed, within one segment with the signature', async () => {
    // Arrange
    const phone = '13900001001';
    // Act
    const caseNo = await decidedCase(phone);
    // Assert
    const sent = fake.sent.filter((s) => s.phone === phone && s.outId?.startsWith('completion#'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(
      expect.objectContaining({
        signName: SIGN,
        templateCode: TEMPLATES.completion.code,
        params: { caseNo, outcome: '准予许可', delivery: '请凭回执到窗口领取' },
        outId: `completion#${caseNo}`,
        segments: 1,
      }),
    );
    expect(sent[0].text).toBe(`【${SIGN}】办件${caseNo}已办结：准予许可，请凭回执到窗口领取。回复1-5评价(1最满意)`);
    expect(sent[0].text.length).toBeLessThanOrEqual(70);
    expect(fake.refused).toEqual([]);
  });

  it('sends the receipt and the acceptance as their registered templates, each signed within one segment', async () => {
    // Arrange
    const phone = '13900001004';
    // Act
    const caseNo = await decidedCase(phone);
    // Assert
    const steps = fake.sent
      .filter((s) => s.phone === phone && !s.outId?.startsWith('completion#'))
      .map((s) => ({ code: s.templateCode, outId: s.outId, keys: Object.keys(s.params).sort(), segments: s.segments }));
    expect(steps).toEqual([
      { code: TEMPLATES.receipt.code, outId: `receipt#${caseNo}`, keys: ['caseNo', 'queryCode'], segments: 1 },
      { code: TEMPLATES.accepted.code, outId: `acceptance#${caseNo}`, keys: ['caseNo', 'due'], segments: 1 },
    ]);
    expect(fake.sent.filter((s) => s.phone === phone).every((s) => s.text.length <= 70)).toBe(true);
    expect(fake.refused).toEqual([]);
  });

  it('sends a one-time code as its registered template, and the code opens the case', async () => {
    // Arrange
    const phone = '13900001005';
    const caseNo = await decidedCase(phone);
    h.clock.advance(61_000);
    // Act
    const asked = await h.call('POST', `/cases/${caseNo}/one-time-code`, { body: {} });
    await h.events.settled();
    await fake.settled();
    const sent = fake.sent.filter((s) => s.phone === phone && s.outId?.startsWith('one-time-code#'));
    const code = sent[0]?.params.code ?? 'none';
    const opened = await h.call('GET', `/cases/${caseNo}`, { headers: { 'x-one-time-code': code } });
    // Assert
    expect(asked.status).toBe(202);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(
      expect.objectContaining({ templateCode: TEMPLATES.caseCode.code, params: { code, caseNo }, segments: 1 }),
    );
    expect(code).toMatch(/^\d{6}$/);
    expect(sent[0].text.length).toBeLessThanOrEqual(70);
    expect(opened.status).toBe(200);
  });

  it("records the provider's delivery receipt on the message it reports", async () => {
    // Arrange
    const phone = '13900001002';
    // Act
    const caseNo = await decidedCase(phone);
    const record = await smsRecord(`completion#${caseNo}`);
    // Assert
    const bizId = fake.sent.find((s) => s.phone === phone && s.outId === `completion#${caseNo}`)!.bizId;
    expect(
      fake.pushes.filter((p) => p.kind === 'report' && p.body && (p.body as any).code === 0).length,
    ).toBeGreaterThan(0);
    expect(record).toEqual(
      expect.objectContaining({
        state: 'sent',
        messageId: bizId,
        delivery: { state: 'delivered', code: 'DELIVERED', reportedAt: expect.stringMatching(/\+08:00$/), segments: 1 },
      }),
    );
  });

  it('takes the reply pushed by the provider into the same reply handling as SNS replies: "2" rates the case satisfied, once', async () => {
    // Arrange
    const phone = '13900001003';
    const caseNo = await decidedCase(phone);
    // Act
    const status = await fake.reply(phone, '2');
    const again = await push('up', [
      { phone_number: phone, send_time: '2026-09-28 10:00:00', content: '5', sequence_id: 77 },
    ]);
    const repeated = await push('up', [
      { phone_number: phone, send_time: '2026-09-28 10:00:00', content: '5', sequence_id: 77 },
    ]);
    const view = (await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) })).body;
    // Assert
    expect(status).toBe(200);
    expect(fake.pushes.find((p) => p.kind === 'up')?.body).toEqual({ code: 0, msg: '接收成功' });
    expect(view.rating).toEqual(expect.objectContaining({ level: 'satisfied', source: 'sms' }));
    expect(again.status).toBe(200);
    expect(repeated.status).toBe(200);
    const inbound = (await h.allItems()).filter((i) => i.pk === keys.inboundSms('aliyun-up-77').pk);
    expect(inbound).toHaveLength(1);
  });

  it('refuses a push whose URL signature is wrong or absent, and writes nothing', async () => {
    // Arrange
    const before = (await h.allItems()).length;
    const body = [{ phone_number: '13900001004', send_time: '2026-09-28 10:00:00', content: '1', sequence_id: 88 }];
    // Act
    const forged = await push('up', body, callbackSignature('another-key-entirely-0000000000', 'up'));
    const reportSignatureOnUp = await push('up', body, callbackSignature(CALLBACK_KEY, 'report'));
    const unsigned = await h.call('POST', '/sms/aliyun/up', { body });
    // Assert
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect(reportSignatureOnUp.status).toBe(403);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.errors).toEqual([expect.objectContaining({ field: 'query.sig' })]);
    expect((await h.allItems()).length).toBe(before);
  });

  it("answers 400 naming the field of a push that is not the provider's shape", async () => {
    // Act
    const res = await push('report', [{ phone_number: '13900001005', report_time: 'yesterday', success: true }]);
    // Assert
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^\[0\]\./) })]);
  });

  it('fails a receipt that arrives while its message is still being sent, so the provider pushes it again', async () => {
    // Arrange: a claim the Sms port has taken but not yet marked sent
    await h.deps.db.send(
      new PutCommand({
        TableName: h.deps.tableName,
        Item: { ...keys.sms('completion#ENV-20260928-0999'), entity: 'sms', state: 'sending', claimedAt: 'now' },
      }),
    );
    // Act
    const res = await push('report', [
      {
        phone_number: '13900001007',
        report_time: '2026-09-28 10:00:00',
        success: true,
        err_code: 'DELIVERED',
        biz_id: '1234^0',
        out_id: 'completion#ENV-20260928-0999',
      },
    ]);
    // Assert
    expect(res.status).toBe(500);
    expect(await smsRecord('completion#ENV-20260928-0999')).not.toHaveProperty('delivery');
  });

  it('drops a receipt for a message it never sent, and answers the provider so it stops pushing', async () => {
    // Act
    const res = await push('report', [
      {
        phone_number: '13900001006',
        report_time: '2026-09-28 10:00:00',
        success: false,
        err_code: 'MK:0001',
        biz_id: '999^0',
        out_id: 'completion#NOT-A-CASE',
      },
    ]);
    // Assert
    expect(res.status).toBe(200);
    expect(await smsRecord('completion#NOT-A-CASE')).toBeUndefined();
  });
});

describe('Alibaba Cloud SMS: a wrong AccessKey secret and the per-phone limits', () => {
  let fake: FakeAliyunSms;
  afterEach(async () => fake.stop());

  const start = async (env: Record<string, string>) => {
    fake = await startFakeAliyunSms({
      accessKeyId: ACCESS_KEY.id,
      accessKeySecret: ACCESS_KEY.secret,
      signName: SIGN,
      templates: TEMPLATES,
    });
    return startHarness({ clockStart: '2026-09-28T09:00:00+08:00', env: aliyunEnv(fake.endpoint, env) });
  };
  const send = (h: Harness, n: number, phone: string) =>
    h.deps.sms.send({ to: phone, kind: 'followup', key: `followup#ENV-20260928-00${n}`, text: followupText(n) });
  const followupText = (n: number) =>
    `您对办件ENV-20260928-00${n}的评价已收到，工作人员将尽快与您联系核实整改，感谢您的监督。`;

  it('is refused by the provider when the request is signed with another secret, and the message can be sent again', async () => {
    // Arrange
    const h = await start({ ALIYUN_SMS_ACCESS_KEY_SECRET: 'not-the-secret-the-provider-has' });
    try {
      // Act
      const attempt = send(h, 10, '13900002001');
      // Assert
      await expect(attempt).rejects.toThrow(/SignatureDoesNotMatch/);
      expect(fake.refused.map((r) => r.code)).toEqual(['SignatureDoesNotMatch']);
      expect(fake.sent).toEqual([]);
      // The claim is kept with its lease ended: the next send takes it over (shared/adapters/sms.ts).
      const claims = (await h.allItems()).filter((i) => i.pk === keys.sms('followup#ENV-20260928-0010').pk);
      expect(claims.map((c) => [c.state, c.leaseUntil])).toEqual([['sending', 0]]);
    } finally {
      await h.stop();
    }
  });

  it('holds a number to its limit per template, refusing before the provider is asked, and lets another number through', async () => {
    // Arrange
    const h = await start({ ALIYUN_SMS_PHONE_LIMITS: 'template:2/24h' });
    try {
      // Act
      const first = await send(h, 11, '13900002002');
      const second = await send(h, 12, '13900002002');
      const third = send(h, 13, '13900002002');
      await expect(third).rejects.toThrow(/per-phone limit template:2\/86400s reached for 139\*\*\*\*2002/);
      const otherNumber = await send(h, 14, '13900002003');
      // Assert
      expect([first.status, second.status, otherNumber.status]).toEqual(['sent', 'sent', 'sent']);
      expect(fake.sent.map((s) => s.phone)).toEqual(['13900002002', '13900002002', '13900002003']);
      const limitItems = (await h.allItems()).filter((i) => String(i.pk).startsWith('SMSLIMIT#'));
      expect(limitItems).toHaveLength(2);
      expect(JSON.stringify(limitItems)).not.toContain('13900002002');
      for (const item of limitItems) expect(item.expiresAt).toEqual(expect.any(Number));
    } finally {
      await h.stop();
    }
  });
});
