/**
 * 我的办件 (一户式查询) in headless Chromium against the local runtime started as `npm start`
 * starts it: an applicant asks for a one-time code for their phone, reads it from the SMS
 * (the local outbox), sees every case of the phone, opens one, and is told when to try again
 * when a second code is asked for within the minute.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startLikeNpmStart, type Started } from '../support/process';
import { APPLICANT, fullSubmission } from '../support/fixtures';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { buildPages, launchChromium, screenshot, seriousViolations, type Chromium } from './browser';

const EIA = loadDefaultCatalog().item('ENV-EIA-FORM')!;
const ALL = EIA.materials.filter((m) => !m.condition).map((m) => m.code);
const PHONE = '13700009876';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });
}

describe('my cases (我的办件) in a real browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-my-cases-'));
  let runtime: Started;
  let chromium: Chromium;
  let context: BrowserContext;

  const api = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${runtime.url}${path}`, init);
    return (await res.json()) as any;
  };
  /** The newest one-time code the outbox holds for the phone. */
  const codeFromOutbox = async (phone: string): Promise<string | undefined> => {
    const { messages } = await api('/_local/sms/outbox');
    const sms = (messages as { to: string; kind: string; text: string }[])
      .filter((m) => m.kind === 'one-time-code' && m.to === phone)
      .at(-1);
    return /验证码(\d{6})/.exec(sms?.text ?? '')?.[1];
  };

  beforeAll(async () => {
    buildPages();
    runtime = await startLikeNpmStart({
      ONEWINDOW_DATA_DIR: dataDir,
      ONEWINDOW_CLOCK: '2026-12-03T09:00:00+08:00',
      PORT: String(await freePort()),
    });
    chromium = await launchChromium();
    context = await chromium.context({ viewport: { width: 414, height: 896 } });
  }, 300_000);

  afterAll(async () => {
    await (context as BrowserContext | undefined)?.close();
    await (chromium as Chromium | undefined)?.close();
    await (runtime as Started | undefined)?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('lists every case of the phone with the code from the SMS, opens one, and says when to ask again', async () => {
    // Arrange: two cases of the phone, one of another
    const submit = (phone: string) =>
      api('/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fullSubmission(EIA.code, ALL, { ...APPLICANT, phone })),
      });
    const first = await submit(PHONE);
    const second = await submit(PHONE);
    const other = await submit('13700005555');
    const page = await context.newPage();
    await page.goto(`${runtime.url}/portal/my-cases`);
    await page.getByRole('heading', { name: '我的办件' }).waitFor();

    // Act: ask for a code, read it from the SMS, list the cases
    await page.getByLabel('手机号码').fill(PHONE);
    await page.getByTestId('send-phone-code').click();
    await page.getByText('验证码已发送').waitFor();
    const code = await codeFromOutbox(PHONE);
    await page.getByLabel('短信验证码').fill(code!);
    await page.getByRole('button', { name: '查询我的办件' }).click();
    await page.getByRole('heading', { name: '共 2 件' }).waitFor();
    // Assert: both cases, newest first, the phone masked, not the other phone's case
    const rows = await page.getByTestId('my-case').allTextContents();
    expect(code).toMatch(/^\d{6}$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(second.caseNo);
    expect(rows[1]).toContain(first.caseNo);
    expect(await page.content()).not.toContain(other.caseNo);
    expect(await page.getByText('137****9876').count()).toBe(1);
    await screenshot(page, 'portal-my-cases');
    expect(await seriousViolations(page)).toEqual([]);

    // Act: open a case from the list: its progress opens with its query code, kept for this tab
    await page.getByRole('link', { name: first.caseNo }).click();
    await page.getByTestId('status').waitFor();
    // Assert
    expect(await page.getByTestId('status').textContent()).toContain('已收件');

    // Act: to withdraw, a fresh code is asked for within the minute of the last one
    await page.getByRole('button', { name: '撤回申请' }).click();
    await page.getByTestId('send-withdraw-code').click();
    // Assert: the page says at what time to try again
    const refusal = page.locator('#w-code-err');
    await refusal.filter({ hasText: '请于' }).waitFor();
    expect(await refusal.textContent()).toMatch(/请于 \d{2}:\d{2}（约 1 分钟后）再试/);
    await screenshot(page, 'portal-withdraw-code-429');
  }, 120_000);
});
