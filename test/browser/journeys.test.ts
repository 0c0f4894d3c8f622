/**
 * The journeys in headless Chromium against the local runtime started as `npm start`
 * starts it: an applicant applies and follows the case in the portal, window staff and
 * department reviewers work it in the console (signed in through the embedded OpenID
 * provider), and a supervisor watches the board turn red once the clock passes a deadline.
 * Every page visited is checked with axe-core and photographed into test/browser/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startLikeNpmStart, type Started } from '../support/process';
import { APPLICANT, fullSubmission } from '../support/fixtures';
import { buildPages, launchChromium, screenshot, seriousViolations, type Chromium } from './browser';

const START = '2026-09-28T09:00:00+08:00';
const PHONE = APPLICANT.phone;

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

describe('the pages in a real browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-browser-'));
  let port: number;
  let runtime: Started;
  let chromium: Chromium;
  const opened: BrowserContext[] = [];

  const start = async (clock: string) => {
    runtime = await startLikeNpmStart({ ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_CLOCK: clock, PORT: String(port) });
  };
  const context = async (mobile = false) => {
    const c = await chromium.context(mobile ? { viewport: { width: 414, height: 896 } } : undefined);
    opened.push(c);
    return c;
  };
  /** Each page visited: no serious or critical axe-core violation, and a screenshot. */
  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
  };
  /** Signs in through the console's OpenID Connect flow, as a person of the staff directory. */
  const signIn = async (choice: string, path = '/console/') => {
    const page = await (await context()).newPage();
    await page.goto(`${runtime.url}${path}`);
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    return { page, choose: () => page.locator(`[data-choice="${choice}"]`).click() };
  };
  const signedIn = async (choice: string, path = '/console/') => {
    const { page, choose } = await signIn(choice, path);
    await choose();
    await page.waitForURL(new RegExp(`${path.replace(/\//g, '\\/')}$`));
    return page;
  };
  /** Waits until the locator shows the text (pages load and refresh asynchronously), then returns what it shows. */
  const shown = async (locator: Locator, text: string | RegExp, timeout = 15_000): Promise<string> => {
    await locator.filter({ hasText: text }).first().waitFor({ timeout });
    return ((await locator.first().textContent()) ?? '').trim();
  };
  const api = async (path: string, init?: RequestInit) => (await fetch(`${runtime.url}${path}`, init)).json() as any;

  beforeAll(async () => {
    buildPages();
    port = await freePort();
    await start(START);
    chromium = await launchChromium();
  }, 300_000);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    await (chromium as Chromium | undefined)?.close();
    await (runtime as Started | undefined)?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('an applicant applies online, the window accepts and returns it with a one-time notice, the applicant supplements, the case is decided, the SMS goes out and the applicant rates', async () => {
    // Arrange: the applicant on a phone-sized screen, in the service guide
    const applicant = await (await context(true)).newPage();
    await applicant.goto(`${runtime.url}/`);
    await applicant.getByRole('heading', { name: '办事指南' }).waitFor();
    await applicant.getByLabel('搜索事项').fill('报告表');
    await applicant.locator('ul.items > li').first().waitFor();
    await check(applicant, 'portal-guide');
    await applicant.getByRole('link', { name: '建设项目环境影响报告表审批' }).first().click();
    await applicant.getByRole('heading', { name: '申报材料（6 项）' }).waitFor();
    await check(applicant, 'portal-item');
    await applicant.getByRole('link', { name: '网上申报' }).click();
    await applicant.getByRole('heading', { name: /网上申报：/ }).waitFor();

    // Act: a mistyped ID number is caught before sending, at its field
    await applicant.getByLabel('姓名 *').fill('张三');
    await applicant.getByLabel('居民身份证号码 *').fill('110105194912310021');
    await applicant.getByLabel(/手机号码 \*/).fill(PHONE);
    for (const box of await applicant.locator('#f-materials input[type=checkbox]').all()) await box.check();
    await applicant.getByRole('button', { name: '提交申请' }).click();
    // Assert
    expect(await shown(applicant.locator('#e-id'), 'check digit')).toContain('身份证号码有误');
    expect(await applicant.getByLabel('姓名 *').inputValue()).toBe('张三');
    await check(applicant, 'portal-apply-errors');

    // Act: corrected, submitted; everything typed was kept
    await applicant.getByLabel('居民身份证号码 *').fill('11010519491231002X');
    await applicant.getByRole('button', { name: '提交申请' }).click();
    await applicant.waitForURL(/\/portal\/receipt\//);
    const caseNo = (await applicant.getByTestId('case-no').textContent())!.trim();
    const queryCode = (await applicant.getByTestId('query-code').textContent())!.trim();
    // Assert: the receipt, with its QR code to the progress page
    expect(caseNo).toMatch(/^ENV-20260928-\d{4}$/);
    expect(queryCode).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    expect(await applicant.getByRole('img', { name: '扫码查询办件进度' }).locator('svg').count()).toBe(1);
    await check(applicant, 'portal-receipt');

    // Act: the window signs in, finds the case in the worklist and accepts it
    const window = await signedIn('env-a1|window');
    await window.getByRole('link', { name: caseNo }).click();
    await window.getByRole('heading', { name: `办件 ${caseNo}` }).waitFor();
    await check(window, 'console-case');
    expect(await window.getByRole('button', { name: '提交决定' }).count()).toBe(0);
    await window.getByRole('button', { name: '受理并出具回执' }).click();
    // Assert: the printable receipt with the committed deadline
    await window.getByRole('heading', { name: '受理回执' }).waitFor();
    expect(await shown(window.locator('.doc'), '承诺办结日期')).toMatch(/承诺办结日期：\d{4}-\d{2}-\d{2}/);
    await check(window, 'console-receipt');

    // Act: the window returns it with a one-time notice built by ticking a material
    await window.getByRole('button', { name: '关闭' }).click();
    await window.getByRole('button', { name: '退回补正（一次性告知）' }).click();
    await window.getByRole('checkbox', { name: '建设项目环境影响报告表（报批稿）' }).check();
    await window.getByLabel('建设项目环境影响报告表（报批稿）的问题').fill('缺少建设单位盖章');
    await window.getByRole('button', { name: '出具一次性告知书' }).click();
    // Assert: the printable notice names the problem
    await window.getByRole('heading', { name: '一次性告知书' }).waitFor();
    expect(await shown(window.locator('.doc'), '缺少建设单位盖章')).toContain(
      '建设项目环境影响报告表（报批稿）：缺少建设单位盖章',
    );
    await check(window, 'console-notice');

    // Act: the applicant sees the notice in the progress page and supplies the material
    await applicant.goto(`${runtime.url}/portal/progress/${caseNo}`);
    expect(await shown(applicant.getByTestId('status'), '待补正材料')).toBe('待补正材料');
    await check(applicant, 'portal-progress-notice');
    await applicant.getByRole('checkbox', { name: /建设项目环境影响报告表（报批稿）/ }).check();
    await applicant.getByRole('button', { name: '提交补正' }).click();
    // Assert
    expect(await shown(applicant.locator('.ok'), '补正材料已提交')).toBe('补正材料已提交');
    expect(await shown(applicant.getByTestId('status'), '已受理')).toBe('已受理');

    // Act: the window decides
    await window.reload();
    await window.getByRole('radio', { name: '准予许可（办结）' }).check();
    await window.getByRole('button', { name: '提交决定' }).click();
    // Assert: approved, and the completion SMS is in the outbox
    expect(await shown(window.getByTestId('status'), '已办结（准予）')).toBe('已办结（准予）');
    const outbox = await api('/_local/sms/outbox');
    expect(outbox.messages.some((m: any) => m.to === PHONE && m.text.includes(caseNo))).toBe(true);

    // Act: the applicant rates online
    await applicant.reload();
    await applicant.getByRole('radio', { name: '非常满意' }).check();
    await applicant.getByRole('button', { name: '提交评价' }).click();
    // Assert
    expect(await shown(applicant.locator('p.card'), '您的评价')).toBe('您的评价：非常满意');
    await check(applicant, 'portal-progress-rated');
    const view = await api(`/cases/${caseNo}`, { headers: { 'x-query-code': queryCode } });
    expect(view.rating).toEqual({ level: 'very-satisfied', source: 'online' });
  }, 240_000);

  it('a joint item is accepted at the lead window and reviewed by each of its departments in the console', async () => {
    // Arrange: a walk-in style submission of the joint enterprise registration
    const item = await api('/items/MKT-ENTERPRISE-JOINT');
    const submitted = await api('/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        fullSubmission(
          item.code,
          item.materials.map((m: { code: string }) => m.code),
        ),
      ),
    });
    const caseNo: string = submitted.caseNo;
    const window = await signedIn('mkt-a1|window');
    await window.goto(`${runtime.url}/console/cases/${caseNo}`);
    await window.getByRole('button', { name: '受理并出具回执' }).click();
    expect(await shown(window.getByTestId('status'), '审查中')).toBe('审查中');

    // Act: each department's reviewer opens its task from the worklist and approves it
    for (const dept of ['mkt', 'qs', 'stax', 'ltax', 'psb']) {
      const reviewer = await signedIn(`${dept}-a1|reviewer`);
      const task = reviewer.locator(`[data-task] a`, { hasText: caseNo });
      await task.waitFor({ timeout: 15_000 });
      await task.click();
      await reviewer
        .getByRole('heading', { name: /审查任务/ })
        .first()
        .waitFor();
      if (dept === 'mkt') await check(reviewer, 'console-review-task');
      await reviewer.getByLabel('书面意见').fill(`${dept.toUpperCase()} 审查同意`);
      await reviewer.getByRole('button', { name: '提交审查意见' }).click();
      expect(await shown(reviewer.locator('.ok'), '审查意见已提交')).toBe('审查意见已提交');
    }

    // Assert: every department's opinion is on the case, and the case is approved
    await window.reload();
    expect(await shown(window.getByTestId('status'), '已办结（准予）', 30_000)).toBe('已办结（准予）');
    expect(await window.locator('#reviews ~ table tbody tr').count()).toBe(5);
    await check(window, 'console-joint-approved');
  }, 240_000);

  it('the supervision board shows a case turn red once the clock passes its deadline, refreshing by itself', async () => {
    // Arrange: an accepted case whose committed deadline is 7 working days away
    const submitted = await api('/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        fullSubmission('ENV-EIA-FORM', [
          'APPLICATION',
          'EIA-REPORT-FORM',
          'EIA-FORM-PUBLIC',
          'PROJECT-APPROVAL',
          'BUSINESS-LICENCE',
          'POWER-OF-ATTORNEY',
        ]),
      ),
    });
    const caseNo: string = submitted.caseNo;
    const window = await signedIn('env-a1|window');
    await window.goto(`${runtime.url}/console/cases/${caseNo}`);
    await window.getByRole('button', { name: '受理并出具回执' }).click();
    await window.getByRole('heading', { name: '受理回执' }).waitFor();
    const board = await signedIn('sup-1|supervisor', '/board/');
    await board.getByTestId('red-total').waitFor();
    expect(await board.locator(`[data-watched="${caseNo}"]`).count()).toBe(0);
    await check(board, 'board');

    // Act: the hall's clock moves a month on (the runtime restarts on the same data and port)
    await runtime.stop();
    await start('2026-10-30T09:00:00+08:00');

    // Assert: without a touch, the board lists the case among the red ones
    await board.locator('#list-red ~ table').locator(`[data-watched="${caseNo}"]`).waitFor({ timeout: 60_000 });
    expect(Number(await board.locator('[data-dept="ENV"] td').nth(1).textContent())).toBeGreaterThanOrEqual(1);
    await check(board, 'board-red');

    // Act: the monthly report with its charts
    await board.getByRole('link', { name: '月度报表' }).click();
    await board.getByRole('heading', { name: /全中心/ }).waitFor();
    await board.locator('.chart svg').first().waitFor({ timeout: 15_000 });
    await check(board, 'board-report');
  }, 240_000);
});
