/**
 * The window's handling of a case, over HTTP against dynalite, with the real calendar.
 * Golden dates: accepted Monday 2026-09-28, ENV-EIA-FORM (7 working days committed, 30
 * calendar days statutory): the National Day week 10-01..10-07 is skipped and the make-up
 * Saturday 10-10 counts, so the committed deadline is 2026-10-13 and the statutory one 2026-10-28.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

describe('window staff running a case', () => {
  let h: Harness;
  let window: string;
  let otherDept: string;
  let reviewer: string;

  async function submit(itemCode = 'ENV-EIA-FORM', materials = materialsOf(itemCode)) {
    const res = await h.call('POST', '/cases', { body: fullSubmission(itemCode, materials) });
    expect(res.status).toBe(201);
    return res.body.caseNo as string;
  }

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    reviewer = await h.token({ sub: 'env-r1', role: 'reviewer', dept: 'ENV' });
    otherDept = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
  });
  afterAll(async () => h.stop());

  it('takes a committed item from submission through acceptance to approval, with the receipt and every step on the record', async () => {
    // Arrange
    const caseNo = await submit();
    // Act
    const receipt = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
    // Assert
    expect(receipt.status).toBe(200);
    expect(receipt.body).toEqual(
      expect.objectContaining({
        caseNo,
        itemCode: 'ENV-EIA-FORM',
        acceptedAt: expect.stringMatching(/^2026-09-28T09:00/),
        deadlines: { committed: '2026-10-13', statutory: '2026-10-28' },
        workingDaysLeft: 7,
      }),
    );
    expect(decided.body.status).toBe('approved');
    expect(history.body.history.map((e: any) => [e.action, e.from, e.to, e.role])).toEqual([
      ['submit', null, 'submitted', 'applicant'],
      ['accept', 'submitted', 'accepted', 'window'],
      ['decide', 'accepted', 'approved', 'window'],
    ]);
    expect(history.body.history[1].actor).toBe('env-a1');
  });

  it('pauses the clock between a return and the supplement, and moves the deadline by the paused working days', async () => {
    // Arrange
    const caseNo = await submit();
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    h.clock.set('2026-09-29T10:00:00+08:00');
    // Act
    const returned = await h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: {
        problems: [
          { code: 'EIA-REPORT-FORM', note: '缺少评价结论页签章' },
          { code: 'APPLICATION', note: '申请书未盖公章' },
        ],
      },
    });
    h.clock.set('2026-10-09T15:00:00+08:00');
    const whilePaused = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });
    const supplemented = await h.call('POST', `/cases/${caseNo}/supplements`, {
      headers: h.asApplicant(caseNo),
      body: { materials: ['EIA-REPORT-FORM', 'APPLICATION'] },
    });
    const after = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });
    // Assert
    expect(returned.body.status).toBe('supplement-required');
    expect(returned.body.notice.missing.map((m: any) => m.code)).toEqual(['EIA-REPORT-FORM', 'APPLICATION']);
    expect(whilePaused.body.paused).toBe(true);
    expect(supplemented.body.status).toBe('accepted');
    // 9-30, 10-08 and 10-09 were paused: 2026-10-13 + 3 working days.
    expect(after.body.deadlines.committed).toBe('2026-10-16');
    expect(after.body.paused).toBe(false);
  });

  it('keeps a supplement that still lacks something in supplement-required, with one notice of everything still missing', async () => {
    // Arrange
    const all = materialsOf('ENV-EIA-FORM');
    const caseNo = await submit('ENV-EIA-FORM', [all[0]]);
    // Act
    const res = await h.call('POST', `/cases/${caseNo}/supplements`, {
      headers: h.asApplicant(caseNo),
      body: { materials: [all[1]] },
    });
    // Assert
    expect(res.body.status).toBe('supplement-required');
    expect(res.body.notice.missing.map((m: any) => m.code)).toEqual(all.slice(2));
  });

  it('completes an instant item at the window the same day', async () => {
    // Arrange
    const civil = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
    const caseNo = await submit('CIVIL-SOCORG-INTERNAL');
    // Act
    const res = await h.call('POST', `/cases/${caseNo}/complete`, { token: civil, body: {} });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    expect(res.body.acceptedAt).toBe(res.body.decidedAt);
  });

  it('refuses to complete a committed item as if it were instant', async () => {
    const caseNo = await submit();
    const res = await h.call('POST', `/cases/${caseNo}/complete`, { token: window, body: {} });
    expect(res.status).toBe(409);
  });

  it('requires a reason for a denial, and files the denial for the supervisors', async () => {
    // Arrange
    const caseNo = await submit();
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    // Act
    const noReason = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'deny' } });
    const denied = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: { decision: 'deny', reason: '项目选址位于饮用水水源保护区内' },
    });
    // Assert
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    expect(denied.body.status).toBe('denied');
    const month = denied.body.decidedAt.slice(0, 7);
    const filings = await h.deps.denials.month(month);
    expect(filings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseNo, reason: '项目选址位于饮用水水源保护区内', deniedBy: 'env-a1' }),
      ]),
    );
  });

  it('answers an action the status does not allow with 409 naming the status and what is allowed', async () => {
    // Arrange
    const caseNo = await submit();
    // Act
    const res = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    // Assert
    expect(res.status).toBe(409);
    expect(res.body.status).toBe(409);
    expect(res.body.currentStatus).toBe('submitted');
    expect(res.body.detail).toContain('is submitted');
    expect(res.body.allowed).toEqual(expect.arrayContaining(['accept', 'return', 'withdraw']));
  });

  it('lets exactly one of two staff acting at once succeed', async () => {
    // Arrange
    const caseNo = await submit();
    const other = await h.token({ sub: 'env-b1', role: 'window', dept: 'ENV' });
    // Act
    const [a, b] = await Promise.all([
      h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} }),
      h.call('POST', `/cases/${caseNo}/accept`, { token: other, body: {} }),
    ]);
    // Assert
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
    expect(history.body.history.filter((e: any) => e.action === 'accept')).toHaveLength(1);
  });

  it('lets the applicant withdraw before a decision, and not after', async () => {
    // Arrange
    const open = await submit();
    const done = await submit();
    await h.call('POST', `/cases/${done}/accept`, { token: window, body: {} });
    await h.call('POST', `/cases/${done}/decide`, { token: window, body: { decision: 'approve' } });
    // Act
    const withdrawn = await h.call('POST', `/cases/${open}/withdraw`, {
      headers: await h.withOneTimeCode(open),
      body: {},
    });
    const tooLate = await h.call('POST', `/cases/${done}/withdraw`, {
      headers: await h.withOneTimeCode(done),
      body: {},
    });
    const wrongPhone = await h.call('POST', `/cases/${open}/withdraw`, {
      headers: { 'x-one-time-code': '000000' },
      body: {},
    });
    // Assert
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(tooLate.status).toBe(409);
    expect(wrongPhone.status).toBe(404);
  });

  it('registers a walk-in application with a window token as channel window', async () => {
    // Act
    const res = await h.call('POST', '/cases', {
      token: window,
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')),
    });
    const view = await h.call('GET', `/cases/${res.body.caseNo}`, { token: window });
    // Assert
    expect(res.status).toBe(201);
    expect(view.body.channel).toBe('window');
    expect(view.body.applicant.phone).toBe('138****1234');
  });

  it("lists the caller's waiting cases by due date", async () => {
    // Arrange
    const fresh = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    try {
      // New cases go to the A person of ENV's intake post (A/B posts: catalog/departments.json).
      const token = await fresh.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
      const first = (
        await fresh.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')) })
      ).body.caseNo;
      fresh.clock.set('2026-10-09T09:00:00+08:00');
      const second = (
        await fresh.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')) })
      ).body.caseNo;
      // Act: due by art. 32, the 5th working day after receipt (10-10 is a make-up Saturday)
      const res = await fresh.call('GET', '/worklist', { token });
      // Assert
      expect(res.body.cases.map((c: any) => [c.caseNo, c.due])).toEqual([
        [first, '2026-10-10'],
        [second, '2026-10-15'],
      ]);
    } finally {
      await fresh.stop();
    }
  });

  describe('staff act only within their department', () => {
    const routes: [string, string, unknown][] = [
      ['POST', 'accept', {}],
      ['POST', 'return', { problems: [{ code: 'APPLICATION', note: 'x' }] }],
      ['POST', 'complete', {}],
      ['POST', 'decide', { decision: 'approve' }],
      ['GET', 'history', undefined],
    ];
    it.each(routes)(
      '%s /cases/{caseNo}/%s from another department is 403 and changes nothing',
      async (method, action, body) => {
        // Arrange
        const caseNo = await submit();
        const before = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
        // Act
        const res = await h.call(method, `/cases/${caseNo}/${action}`, { token: otherDept, body });
        // Assert
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const after = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
        expect(after.body).toEqual(before.body);
      },
    );

    it('refuses a walk-in registration for another department', async () => {
      const res = await h.call('POST', '/cases', {
        token: otherDept,
        body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')),
      });
      expect(res.status).toBe(403);
    });

    it('refuses a role the route does not allow, and a missing or forged token', async () => {
      const caseNo = await submit();
      const wrongRole = await h.call('POST', `/cases/${caseNo}/accept`, { token: reviewer, body: {} });
      const none = await h.call('POST', `/cases/${caseNo}/accept`, { body: {} });
      const forged = await h.call('POST', `/cases/${caseNo}/accept`, { token: window.slice(0, -4) + 'AAAA', body: {} });
      expect([wrongRole.status, none.status, forged.status]).toEqual([403, 401, 401]);
    });
  });

  it('never shows the applicant unmasked to staff either', async () => {
    const caseNo = await submit();
    const res = await h.call('GET', `/cases/${caseNo}`, { token: window });
    expect(res.text).not.toContain(APPLICANT.idNumber);
    expect(res.text).not.toContain(APPLICANT.phone);
  });
});
