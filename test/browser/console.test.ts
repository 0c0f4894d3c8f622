/**
 * The staff console's own journeys in headless Chromium, against the runtime started as
 * `npm start` starts it: a walk-in registered at the window reaches the worklist; A marks
 * themselves away and B sees it and gets the next case; an inquiry is logged and listed; a bad
 * rating's follow-up is verified, fixed and closed, and a complaint transferred to the department
 * is answered. Every page is checked with axe-core and photographed into test/browser/screenshots/.
 */
import { fullSubmission } from '../support/fixtures';
import { browserSession, shown } from './session';

const MATERIALS = [
  'APPLICATION',
  'EIA-REPORT-FORM',
  'EIA-FORM-PUBLIC',
  'PROJECT-APPROVAL',
  'BUSINESS-LICENCE',
  'POWER-OF-ATTORNEY',
];

describe('the staff console in a real browser', () => {
  const s = browserSession('2026-09-28T09:00:00+08:00');

  beforeAll(() => s.start(), 300_000);
  afterEach(() => s.closeContexts());
  afterAll(() => s.stop(), 60_000);

  it('registers a walk-in application at the window, with field errors at their fields, and the case comes to the worklist', async () => {
    // Arrange
    const window = await s.signedIn('env-a1|window', '/console/walk-in');
    await window.getByRole('heading', { name: /窗口收件/ }).waitFor();
    await window.getByLabel('办理事项 *').selectOption('ENV-EIA-FORM');
    await window.getByLabel('姓名 *').fill('王五');
    await window.getByLabel('居民身份证号码 *').fill('11010519491231002X');
    await window.getByLabel(/手机号码 \*/).fill('1380000');
    for (const box of await window.locator('#w-materials input[type=checkbox]').all()) await box.check();

    // Act: a mistyped phone number is caught at its field; what was typed stays
    await window.getByRole('button', { name: '登记收件' }).click();
    // Assert
    expect(await shown(window.locator('#w-phone-e'), '手机')).toContain('11位');
    expect(await window.getByLabel(/手机号码 \*/).getAttribute('aria-invalid')).toBe('true');
    expect(await window.getByLabel('姓名 *').inputValue()).toBe('王五');
    await s.check(window, 'console-walk-in-errors');

    // Act: corrected and registered
    await window.getByLabel(/手机号码 \*/).fill('13800005678');
    await window.getByRole('button', { name: '登记收件' }).click();
    const heading = await shown(window.locator('#done-title'), '已收件');
    const caseNo = heading.replace('已收件：', '');
    // Assert: the case, its query code for the applicant, and the link to handle it
    expect(caseNo).toMatch(/^ENV-20260928-\d{4}$/);
    expect(await window.getByTestId('walk-in-status').textContent()).toBe('已收件，待预审');
    await s.check(window, 'console-walk-in');

    // Act: the worklist
    await window.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '工作台' }).click();
    // Assert: the walk-in is there, marked as received at the window once opened
    await window.locator(`[data-case="${caseNo}"]`).waitFor();
    await window.getByRole('link', { name: caseNo }).click();
    expect(await shown(window.locator('.facts'), '窗口收件')).toContain('窗口收件');
  }, 180_000);

  it("shows A marked away to B, with B taking the post's next case, until A is back", async () => {
    // Arrange
    const a = await s.signedIn('env-a1|window', '/console/posts');
    const row = (page: typeof a, person: 'a' | 'b') =>
      page.locator('[data-post="ENV-01"] tr[data-person="' + person + '"] [data-testid="presence"]');
    await shown(row(a, 'a'), '在岗');

    // Act: A marks themselves away, with why
    await a.getByLabel('暂离原因（可选）').fill('外出培训');
    await a.getByRole('button', { name: '标记A岗暂离' }).click();
    // Assert
    expect(await shown(row(a, 'a'), '暂离')).toBe('暂离（外出培训）');
    expect(await shown(a.locator('[data-post="ENV-01"] [data-testid="next-case-to"]'), 'env-b1')).toContain(
      '新办件分配给：env-b1',
    );

    // Act: B opens the same page, and a case arrives
    const b = await s.signedIn('env-b1|window', '/console/posts');
    // Assert: B sees A away and themselves present; B marks nobody else
    expect(await shown(row(b, 'a'), '暂离')).toBe('暂离（外出培训）');
    expect(await shown(row(b, 'b'), '在岗')).toBe('在岗');
    expect(await b.getByRole('button', { name: '标记A岗暂离' }).count()).toBe(0);
    await s.check(b, 'console-posts');
    const submitted = await s.api('/cases', { method: 'POST', body: fullSubmission('ENV-EIA-FORM', MATERIALS) });
    await b.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '工作台' }).click();
    await b.locator(`[data-case="${submitted.caseNo}"]`).waitFor();
    expect(await b.locator(`[data-case="${submitted.caseNo}"] td`).last().textContent()).toBe('env-b1');

    // Act: A is back
    await a.getByRole('button', { name: '标记A岗回岗' }).click();
    // Assert
    await a.getByRole('button', { name: '标记A岗暂离' }).waitFor();
    expect(((await row(a, 'a').textContent()) ?? '').trim()).toBe('在岗');
  }, 180_000);

  it('logs a first inquiry handed to another window and lists it in the department’s log, the contact masked', async () => {
    // Arrange
    const window = await s.signedIn('env-a2|window', '/console/inquiries');
    await window.getByLabel('咨询事项 *').fill('建设项目环评审批需要哪些材料？');
    await window.getByLabel('咨询人姓名（可选）').fill('赵六');
    await window.getByLabel('联系电话（可选，手机）').fill('12345');
    await window.getByRole('radio', { name: '已转交其他窗口' }).check();

    // Act: a wrong number and no window chosen are caught at their fields
    await window.getByRole('button', { name: '保存登记' }).click();
    // Assert
    await shown(window.locator('#q-phone-e'), '手机');
    expect(await shown(window.locator('#q-handed-e'), '窗口')).toContain('请选择接手的窗口');

    // Act: corrected and saved
    await window.getByLabel('联系电话（可选，手机）').fill('13900006666');
    await window.getByLabel('转交窗口 *').selectOption('ENV-01');
    await window.getByRole('button', { name: '保存登记' }).click();
    // Assert: in the log, masked, counted
    const row = window.locator('tr[data-inquiry]', { hasText: '建设项目环评审批需要哪些材料' });
    await row.waitFor();
    expect(await row.textContent()).toContain('赵* 139****6666');
    expect(await row.textContent()).toContain('已转交其他窗口：ENV-01');
    expect(await shown(window.getByTestId('inquiry-total'), '共')).toContain('已转交其他窗口 1 件');
    await s.check(window, 'console-inquiries');
  }, 180_000);

  it('logs an inquiry with the keyboard alone: every field reached by Tab, the outcome by arrow keys, saved by Enter', async () => {
    // Arrange
    const page = await s.signedIn('mkt-a1|window', '/console/inquiries');
    await page.getByRole('heading', { name: '登记一次咨询' }).waitFor();
    const focused = () => page.evaluate('document.activeElement && document.activeElement.id');
    const tabTo = async (id: string) => {
      for (let i = 0; i < 40 && (await focused()) !== id; i++) await page.keyboard.press('Tab');
      return focused();
    };
    // Act
    expect(await tabTo('q-matter')).toBe('q-matter');
    await page.keyboard.type('容缺受理需要什么条件？');
    await page.keyboard.press('Tab');
    await page.keyboard.type('钱七');
    await page.keyboard.press('Tab');
    await page.keyboard.type('13700007777');
    await page.keyboard.press('Tab'); // the outcome: 已当场答复, checked
    await page.keyboard.press('ArrowDown'); // 已转交其他窗口
    expect(await tabTo('q-handed')).toBe('q-handed');
    await page.keyboard.press('ArrowDown'); // the first window
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // Assert
    const row = page.locator('tr[data-inquiry]', { hasText: '容缺受理需要什么条件' });
    await row.waitFor();
    expect(await row.textContent()).toContain('钱* 137****7777');
    expect(await row.textContent()).toMatch(/已转交其他窗口：[A-Z]+-\d{2}/);
  }, 180_000);

  it("handles a bad rating's follow-up in the console, verify, fix and close, and answers a complaint transferred to the department", async () => {
    // Arrange: a decided case rated very dissatisfied online; a complaint about it, transferred to ENV
    const window = await s.token('env-a1', 'window', 'ENV');
    const submitted = await s.api('/cases', { method: 'POST', body: fullSubmission('ENV-EIA-FORM', MATERIALS) });
    const caseNo: string = submitted.caseNo;
    await s.api(`/cases/${caseNo}/accept`, { method: 'POST', body: {}, token: window });
    await s.api(`/cases/${caseNo}/decide`, { method: 'POST', body: { decision: 'approve' }, token: window });
    await s.api(`/cases/${caseNo}/rating`, {
      method: 'POST',
      body: { level: 'very-dissatisfied' },
      headers: { 'x-query-code': submitted.queryCode },
    });
    const complaint = await s.api('/complaints', {
      method: 'POST',
      body: { who: '张三', contact: '13800001234', caseNo, text: '窗口让我往返三次' },
    });
    const supervisor = await s.signedIn('sup-1|supervisor', '/console/feedback');
    const routed = supervisor.locator(`[data-complaint="${complaint.id}"]`);
    await routed.getByLabel('办理方式').selectOption('transfer');
    await routed.getByLabel('承办部门 *').selectOption('ENV');
    await routed.getByLabel('说明（可选）').fill('请环保局核查答复');
    await routed.getByRole('button', { name: '提交' }).click();
    expect(await shown(routed.getByTestId('complaint-state'), '已转办')).toBe('已转办');
    await s.check(supervisor, 'console-feedback-supervisor');

    // Act: the window verifies the rating with the applicant
    const page = await s.signedIn('env-a1|window', '/console/feedback');
    const followUp = page.locator(`[data-followup="FU-${caseNo}"]`);
    await followUp.waitFor();
    expect(await followUp.getByLabel('办理方式').locator('option').allTextContents()).toEqual([
      '回访核实',
      '申诉（恶意差评）',
    ]);
    await followUp.getByRole('button', { name: '提交' }).click();
    // Assert: a note is required, said at its field
    expect(await shown(followUp.locator(`[id="fn-FU-${caseNo}-e"]`), '请写明')).toBe('请写明办理情况');

    // Act: verify, then fix, then close
    for (const [action, note, state] of [
      ['verify', '已电话回访，申请人反映等候时间过长', '已核实'],
      ['fix', '增设取号提醒，高峰期开放B岗', '已整改'],
    ] as const) {
      await followUp.getByLabel('办理方式').selectOption(action);
      await followUp.getByLabel('办理情况 *').fill(note);
      await followUp.getByRole('button', { name: '提交' }).click();
      expect(await shown(followUp.getByTestId('followup-state'), state)).toBe(state);
    }
    await s.check(page, 'console-feedback');
    await followUp.getByLabel('办理方式').selectOption('close');
    await followUp.getByLabel('办理情况 *').fill('回访申请人，对整改表示认可');
    await followUp.getByRole('button', { name: '提交' }).click();
    // Assert: closed, so no longer open on the list
    await shown(page.locator('.ok'), `FU-${caseNo}：办结回访已记录`);
    await followUp.waitFor({ state: 'detached' });

    // Act: the window answers the complaint transferred to its department
    const answer = page.locator(`[data-complaint="${complaint.id}"]`);
    await answer.getByLabel(/答复内容/).fill('经核查已优化取号流程，感谢监督。');
    await answer.getByRole('button', { name: '提交' }).click();
    // Assert: answered, off the department's list, the answer sent by SMS
    await answer.waitFor({ state: 'detached' });
    const outbox = await s.api('/_local/sms/outbox');
    expect(
      outbox.messages.some(
        (m: { to: string; kind: string }) => m.to === '13800001234' && m.kind === 'complaint-answer',
      ),
    ).toBe(true);
  }, 240_000);
});
