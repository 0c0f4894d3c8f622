/**
 * A company applies online with an agent (issue 10), in headless Chromium against the local runtime
 * started as `npm start` starts it: the apply form's person/organisation choice, the 统一社会信用代码
 * check character and the agent's document checked before sending (the API's own schema and
 * rules), a field error the server itself answers shown next to its field, and the receipt with
 * its query code. Every state is checked with axe-core and photographed into test/browser/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startLikeNpmStart, type Started } from '../support/process';
import { buildPages, launchChromium, screenshot, seriousViolations, type Chromium } from './browser';

const START = '2026-09-28T09:00:00+08:00';
const COMPANY_PHONE = '13800003001';
const AGENT_PHONE = '13900003002';

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

describe('a company applies with an agent in a real browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-browser-company-'));
  let runtime: Started;
  let chromium: Chromium;
  const opened: BrowserContext[] = [];

  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
  };
  const shown = async (locator: Locator, text: string | RegExp, timeout = 15_000): Promise<string> => {
    await locator.filter({ hasText: text }).first().waitFor({ timeout });
    return ((await locator.first().textContent()) ?? '').trim();
  };

  beforeAll(async () => {
    buildPages();
    const port = await freePort();
    runtime = await startLikeNpmStart({ ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_CLOCK: START, PORT: String(port) });
    chromium = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await (chromium as Chromium | undefined)?.close();
    await (runtime as Started | undefined)?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a company with an agent is checked before sending, shows the server’s field error at its field, and gets its receipt with the query code', async () => {
    // Arrange: the company's agent on a phone-sized screen, at the apply form of an EIA item
    const context = await chromium.context({ viewport: { width: 414, height: 896 } });
    opened.push(context);
    const page = await context.newPage();
    await page.goto(`${runtime.url}/portal/apply/ENV-EIA-FORM`);
    await page.getByRole('heading', { name: /网上申报：/ }).waitFor();

    // Act: an organisation with a mistyped check character and an agent with a bad passport number
    await page.getByRole('radio', { name: '企业或其他组织' }).check();
    await page.getByLabel('企业或组织名称 *').fill('贵州绿源环保科技有限公司');
    await page.getByLabel(/统一社会信用代码/).fill('91350100M000100Y44');
    await page.getByLabel('法定代表人姓名 *').fill('王五');
    await page.getByLabel(/联系手机/).fill(COMPANY_PHONE);
    await page.getByRole('checkbox', { name: '由经办人代为办理' }).check();
    await page.getByLabel('经办人姓名 *').fill('李四');
    await page.getByLabel('经办人证件类型 *').selectOption('passport');
    await page.getByLabel('经办人护照号码 *').fill('E1');
    await page.getByLabel(/经办人手机号码/).fill(AGENT_PHONE);
    for (const box of await page.locator('#f-materials input[type=checkbox]').all()) await box.check();
    await page.getByRole('button', { name: '提交申请' }).click();

    // Assert: both caught before sending, each at its field, in the server's words
    expect(await shown(page.locator('#e-id'), 'give 3')).toBe(
      '统一社会信用代码有误：the check character is 4 but the first 17 characters give 3: a character is mistyped',
    );
    expect(await shown(page.locator('#e-agent-id'), '5 to 17')).toContain('护照号码有误');
    expect(await page.locator('#f-id').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('短信通知（受理、补正、办结、评价）将发送至经办人手机').count()).toBe(1);
    await check(page, 'portal-apply-company-errors');

    // Act: corrected; the request is altered on its way (as a stale page might send it) so that the
    // server itself refuses the agent's phone
    await page.getByLabel(/统一社会信用代码/).fill('9135 0100 m000 100y43');
    await page.getByLabel('经办人护照号码 *').fill('E12345678');
    let altered = 0;
    await page.route('**/cases', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { agent: { phone: string } };
      body.agent.phone = '12345';
      altered++;
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByRole('button', { name: '提交申请' }).click();

    // Assert: the server's problem+json field error is shown next to the agent's phone, nothing typed is lost
    expect(await shown(page.locator('#e-agent-phone'), 'mainland China mobile')).toBe(
      'must be a mainland China mobile number, 11 digits starting 13–19',
    );
    expect(altered).toBe(1);
    expect(await page.getByLabel('企业或组织名称 *').inputValue()).toBe('贵州绿源环保科技有限公司');
    await check(page, 'portal-apply-company-server-error');

    // Act: sent as typed
    await page.unroute('**/cases');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/portal\/receipt\//);
    const caseNo = (await page.getByTestId('case-no').textContent())!.trim();
    const queryCode = (await page.getByTestId('query-code').textContent())!.trim();

    // Assert: the receipt with its query code, and the case as the API keeps it: the company, its agent, masked
    expect(caseNo).toMatch(/^ENV-20260928-\d{4}$/);
    expect(queryCode).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    await check(page, 'portal-receipt-company');
    const view = (await (
      await fetch(`${runtime.url}/cases/${caseNo}`, { headers: { 'x-query-code': queryCode } })
    ).json()) as { applicant: Record<string, string>; agent: Record<string, string> };
    expect(view.applicant).toEqual({
      name: '贵州绿源环保科技有限公司',
      idType: 'uscc',
      idNumber: '913***********0Y43',
      legalRepresentative: '王*',
      phone: '138****3001',
    });
    expect(view.agent).toEqual({ name: '李*', idType: 'passport', idNumber: 'E*****678', phone: '139****3002' });
  }, 240_000);
});
