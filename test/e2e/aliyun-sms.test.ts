/**
 * `npm start` with Alibaba Cloud SMS, as a hall's IT would try it before deploying: the
 * runtime started as a process with SMS_PROVIDER=aliyun against the local fake of the provider
 * (which checks the SDK's signed requests), a completion notice out, its receipt recorded, and
 * the applicant's reply in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbackSignature } from '../../shared/adapters/sms-aliyun-callback';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { localSecrets, signStaffToken } from '../../infra/local/keys';
import { startFakeAliyunSms } from '../../infra/local/fakes/aliyun-sms';
import { startLikeNpmStart } from '../support/process';
import { waitFor } from '../support/wait';
import { APPLICANT, fullSubmission } from '../support/fixtures';
import cdkJson from '../../cdk.json';

const { signName, templates } = cdkJson.context.aliyunSms;
const CALLBACK_KEY = 'e2e-callback-key-0123456789abcdef';

describe('npm start with Alibaba Cloud SMS against its local fake', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-aliyun-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the completion notice through the provider, records its receipt, and takes the reply as a rating', async () => {
    // Arrange
    const fake = await startFakeAliyunSms({
      accessKeyId: 'LTAI5tE2eKey',
      accessKeySecret: 'e2e-access-key-secret',
      signName,
      templates,
      retryDelaysMs: [50, 200, 1000],
    });
    const runtime = await startLikeNpmStart({
      ONEWINDOW_DATA_DIR: dataDir,
      ONEWINDOW_CLOCK: '2026-09-28T09:00:00+08:00',
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: fake.endpoint,
      ALIYUN_SMS_SIGN_NAME: signName,
      ALIYUN_SMS_TEMPLATES: JSON.stringify(templates),
      ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tE2eKey',
      ALIYUN_SMS_ACCESS_KEY_SECRET: 'e2e-access-key-secret',
      SMS_CALLBACK_KEY: CALLBACK_KEY,
    }).catch(async (error: unknown) => {
      await fake.stop();
      throw error;
    });
    fake.setCallbacks({
      reportUrl: `${runtime.url}/sms/aliyun/report?sig=${callbackSignature(CALLBACK_KEY, 'report')}`,
      upUrl: `${runtime.url}/sms/aliyun/up?sig=${callbackSignature(CALLBACK_KEY, 'up')}`,
    });
    try {
      const token = await signStaffToken(await localSecrets(dataDir), { sub: 'env-a1', role: 'window', dept: 'ENV' });
      const call = async (method: string, path: string, body?: unknown, auth = false) => {
        const res = await fetch(`${runtime.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const materials = loadDefaultCatalog()
        .item('ENV-EIA-FORM')!
        .materials.filter((m) => !m.condition)
        .map((m) => m.code);
      const phone = '13900003001';
      const submitted = await call(
        'POST',
        '/cases',
        fullSubmission('ENV-EIA-FORM', materials, { ...APPLICANT, phone }),
      );
      const caseNo = submitted.body.caseNo as string;
      await call('POST', `/cases/${caseNo}/accept`, {}, true);

      // Act
      const decided = await call('POST', `/cases/${caseNo}/decide`, { decision: 'approve' }, true);
      await waitFor(
        () => Promise.resolve(fake.sent.some((s) => s.outId === `completion#${caseNo}`)),
        'the completion notice at the provider',
        20_000,
      );
      await fake.settled();
      const replied = await fake.reply(phone, '1');
      const progress = await call('GET', `/cases/${caseNo}`, undefined, true);

      // Assert
      expect(decided.status).toBe(200);
      const notice = fake.sent.find((s) => s.outId === `completion#${caseNo}`)!;
      // The receipt and the acceptance went first, each as its registered template (cdk.json)
      expect(fake.sent.filter((s) => s.phone === phone).map((s) => [s.templateCode, s.outId])).toEqual([
        [templates.receipt.code, `receipt#${caseNo}`],
        [templates.accepted.code, `acceptance#${caseNo}`],
        [templates.completion.code, `completion#${caseNo}`],
      ]);
      expect(notice).toEqual(
        expect.objectContaining({
          templateCode: templates.completion.code,
          outId: `completion#${caseNo}`,
          segments: 1,
        }),
      );
      expect(notice.text.startsWith(`【${signName}】办件${caseNo}已办结`)).toBe(true);
      expect(fake.refused).toEqual([]);
      const receipts = fake.pushes.filter((p) => p.kind === 'report');
      expect(receipts.at(-1)).toEqual(expect.objectContaining({ status: 200, body: { code: 0, msg: '接收成功' } }));
      expect(replied).toBe(200);
      expect(progress.body.rating).toEqual(expect.objectContaining({ level: 'very-satisfied', source: 'sms' }));
    } finally {
      expect(await runtime.stop()).toBe(0);
      await fake.stop();
    }
  }, 90_000);
});
