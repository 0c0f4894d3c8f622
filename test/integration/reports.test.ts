/**
 * Compliance reports over HTTP against dynalite, with cases built THROUGH the system (submit,
 * accept, decide over HTTP) on the official calendar.
 *
 * The Guizhou environment window's published figures (DOMAIN.md): 434 received (417 online,
 * 17 at the window), 399 completed (365 early), 24 not licensed (不予许可). Built in October 2026
 * with ENV-EIA-FORM (7 working days committed):
 *   - Mon 10-12: 423 received (406 online, 17 registered at the window) and accepted; due Wed 10-21;
 *   - Tue 10-13: 365 approved (early) and 24 denied;
 *   - Wed 10-21: 34 approved on the deadline day (on time, not early);
 *   - Wed 10-28: 11 more received online and accepted (due in November): still open, not overdue.
 * Beside them, two CIVIL cases received in October and decided later: one approved in
 * November, one denied in December, so each month's report counts them where they belong.
 */
import { ReportRepository } from '../../shared/store/report-repository';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

/** Runs `fn` over 0..n-1, `width` at a time. */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

describe('monthly compliance reports', () => {
  let h: Harness;
  let envWindow: string;
  let civilWindow: string;
  let supervisor: string;
  let admin: string;
  const guizhou: string[] = [];
  let spanning: { approvedInNovember: string; deniedInDecember: string };

  async function submit(itemCode: string, token?: string): Promise<string> {
    const res = await h.call('POST', '/cases', {
      body: fullSubmission(itemCode, materialsOf(itemCode), APPLICANT),
      token,
    });
    if (res.status !== 201) throw new Error(`submit: ${res.status} ${res.text}`);
    return res.body.caseNo;
  }
  async function act(caseNo: string, action: string, token: string, body: unknown = {}): Promise<void> {
    const res = await h.call('POST', `/cases/${caseNo}/${action}`, { token, body });
    if (res.status !== 200) throw new Error(`${action} ${caseNo}: ${res.status} ${res.text}`);
  }

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-10-12T09:00:00+08:00' });
    envWindow = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    civilWindow = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    admin = await h.token({ sub: 'admin-1', role: 'admin', dept: 'SUP' });

    // Mon 10-12: 406 online, 17 at the window; all accepted.
    await pool(423, 16, async (i) => {
      const caseNo = await submit('ENV-EIA-FORM', i < 17 ? envWindow : undefined);
      await act(caseNo, 'accept', envWindow);
      guizhou[i] = caseNo;
    });
    // Tue 10-13: 365 approved early, 24 denied.
    h.clock.set('2026-10-13T10:00:00+08:00');
    await pool(389, 16, async (i) =>
      act(
        guizhou[i],
        'decide',
        envWindow,
        i < 365 ? { decision: 'approve' } : { decision: 'deny', reason: '项目选址不符合生态保护红线要求' },
      ),
    );
    // Wed 10-21, the deadline day: 34 approved on time.
    h.clock.set('2026-10-21T15:00:00+08:00');
    await pool(34, 16, async (i) => act(guizhou[389 + i], 'decide', envWindow, { decision: 'approve' }));
    // Thu 10-22: 50 applicants rate online, 49 satisfied and 1 very dissatisfied (a follow-up opens);
    // a complaint about an ENV case; three first inquiries logged at ENV-01.
    h.clock.set('2026-10-22T10:00:00+08:00');
    await pool(50, 10, async (i) => {
      const res = await h.call('POST', `/cases/${guizhou[i]}/rating`, {
        headers: h.asApplicant(guizhou[i]),
        body: { level: i === 0 ? 'very-dissatisfied' : 'satisfied' },
      });
      if (res.status !== 200 && res.status !== 201) throw new Error(`rating: ${res.status} ${res.text}`);
    });
    const complaint = await h.call('POST', '/complaints', {
      body: { who: '王五', contact: '13900005678', caseNo: guizhou[400], text: '窗口答复不清楚' },
    });
    expect(complaint.status).toBe(201);
    for (const matter of ['环评报告表需要哪些材料', '报告书与报告表的区别', '审批时限']) {
      const res = await h.call('POST', '/inquiries', {
        token: envWindow,
        body: { matter, contact: {}, outcome: 'answered' },
      });
      expect(res.status).toBe(201);
    }
    // Wed 10-28: 11 more online, accepted, still open at the end of October; two CIVIL cases too,
    // received while civil-a1 (A of CIVIL-01) is away: both go to B, two handovers (AB岗).
    h.clock.set('2026-10-28T09:00:00+08:00');
    await pool(11, 11, async () => act(await submit('ENV-EIA-FORM'), 'accept', envWindow));
    expect(
      (await h.call('PUT', '/posts/CIVIL-01/presence', { token: civilWindow, body: { person: 'a', present: false } }))
        .status,
    ).toBe(200);
    spanning = {
      approvedInNovember: await submit('CIVIL-SOCORG-CHANGE'),
      deniedInDecember: await submit('CIVIL-SOCORG-CHANGE'),
    };
    await act(spanning.approvedInNovember, 'accept', civilWindow);
    await act(spanning.deniedInDecember, 'accept', civilWindow);
    // The monthly job (as the scheduler runs it) stores October's report at 01:00 on November 1st.
    h.clock.set('2026-11-01T01:00:00+08:00');
    expect((await h.runNow('monthly-report')).result).toEqual(expect.objectContaining({ stored: true }));
    h.clock.set('2026-11-03T10:00:00+08:00');
    await act(spanning.approvedInNovember, 'decide', civilWindow, { decision: 'approve' });
    h.clock.set('2026-12-01T01:00:00+08:00');
    expect((await h.runNow('monthly-report')).result).toEqual(expect.objectContaining({ stored: true }));
    h.clock.set('2026-12-02T10:00:00+08:00');
    await act(spanning.deniedInDecember, 'decide', civilWindow, {
      decision: 'deny',
      reason: '章程修改未经会员大会表决',
    });
    // Every step's SMS (receipt, acceptance, completion: about 1,300) delivered before the tests read
    await h.events.settled();
  }, 300_000);
  afterAll(async () => (h as Harness | undefined)?.stop()); // unset when beforeAll failed

  it("shows the Guizhou environment window's published counts and the rates that follow from them", async () => {
    // Act
    const res = await h.call('GET', '/reports/2026-10', { token: supervisor });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-10-01', to: '2026-10-31', month: '2026-10' });
    const env = res.body.departments.find((d: any) => d.department === 'ENV');
    expect(env).toEqual(
      expect.objectContaining({
        received: 434,
        receivedOnline: 417,
        receivedWindow: 17,
        accepted: 434,
        approved: 399,
        denied: 24,
        completedEarly: 365,
        overdue: 0,
        stillOpen: 11,
        completionRate: 0.9194, // 399 / 434
        earlyCompletionRate: 0.9148, // 365 / 399
        instantCompletionRate: 0,
        rated: 50,
        badRatings: 1,
        satisfactionRate: 0.98, // 49 / 50: the Guizhou environment department's published 98%
        followUps: 1,
        complaints: 1,
        inquiries: 3,
      }),
    );
    expect(res.body.windows.find((w: any) => w.window === 'ENV-01').inquiries).toBe(3);
    expect(res.body.departments.find((d: any) => d.department === 'CIVIL').handovers).toBe(2);
    expect(env.completionRate).toBeCloseTo(399 / 434, 4);
    expect(env.earlyCompletionRate).toBeCloseTo(365 / 399, 4);
    expect(res.body.windows.map((w: any) => w.window)).toEqual(expect.arrayContaining(['ENV-01', 'CIVIL-01']));
  });

  it('returns the report the monthly job stored, with the ranking of windows', async () => {
    // Act
    const res = await h.call('GET', '/reports/2026-10', { token: admin });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(true);
    expect(res.body.generatedAt).toMatch(/^2026-11-01T01:00/);
    expect(res.body.ranking.ranked.map((r: any) => r.window)).toEqual(['ENV-01', 'CIVIL-01']);
    expect(res.body.ranking.redFlags).toEqual(['ENV-01']);
  });

  it('leaves a stored month alone when the job fires again (the local scheduler fires it hourly)', async () => {
    // Act: it is December 2nd: the month before is November, stored on December 1st
    const again = await h.runNow('monthly-report');
    const november = await h.call('GET', '/reports/2026-11', { token: supervisor });
    // Assert
    expect(again.result).toEqual({ month: '2026-11', stored: false });
    expect(november.body.generatedAt).toMatch(/^2026-12-01T01:00/);
  });

  it('counts a case decided in the month after it was received in the months where each thing happened', async () => {
    // Act
    const october = (await h.call('GET', '/reports/2026-10', { token: supervisor })).body.departments.find(
      (d: any) => d.department === 'CIVIL',
    );
    const november = (await h.call('GET', '/reports/2026-11', { token: supervisor })).body.departments.find(
      (d: any) => d.department === 'CIVIL',
    );
    const december = (await h.call('GET', '/reports/2026-12', { token: supervisor })).body.departments.find(
      (d: any) => d.department === 'CIVIL',
    );
    // Assert: received and accepted in October, open at its end
    expect(october).toEqual(
      expect.objectContaining({ received: 2, accepted: 2, approved: 0, denied: 0, stillOpen: 2 }),
    );
    // November: one approved; the other, decided only in December, was open at the end of November
    expect(november).toEqual(expect.objectContaining({ received: 0, approved: 1, denied: 0, stillOpen: 1 }));
    // December (computed now, the month is not over): the denial
    expect(december).toEqual(expect.objectContaining({ received: 0, approved: 0, denied: 1, stillOpen: 0 }));
  });

  it('notes the windows last two months running from the stored ranking of the month before', async () => {
    // Act
    const res = await h.call('GET', '/reports/2026-11', { token: supervisor });
    // Assert: November was stored by the job on December 1st, knowing October's ranking
    expect(res.body.stored).toBe(true);
    expect(res.body.ranking.lastTwoMonthsRunning).toEqual(expect.any(Array));
  });

  it('finds the cases of a month with Queries only: one per department for open cases and one per department and month', async () => {
    // Arrange
    const repo = new ReportRepository(h.deps.db, h.deps.tableName);
    const { ReportAccumulator } = await import('../../shared/domain/reports');
    const acc = new ReportAccumulator({ from: '2026-11-01', to: '2026-11-30' });
    // Act
    const stats = await repo.feedCases(
      acc,
      catalog.departments().map((d) => d.code),
      { from: '2026-11-01', to: '2026-11-30' },
    );
    // Assert: 13 departments × (open-by-deadline + by-month); the 11 open ENV cases and the 2 CIVIL touches
    expect(stats.queries).toBe(2 * catalog.departments().length);
    expect(stats.items).toBe(11 + 2);
  });

  it('gives the month as CSV that opens in a spreadsheet: BOM, Chinese headers, an attachment', async () => {
    // Act: the raw bytes (fetch's text() would drop the BOM, as a spreadsheet reads it)
    const res = await fetch(`${h.url}/reports/2026-10?format=csv`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.subarray(3).toString('utf8');
    // Assert
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="onewindow-report-2026-10\.csv"$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = text.split('\r\n');
    expect(header.split(',').slice(0, 6)).toEqual(['类型', '部门/窗口', '所属部门', '收件', '网上申报', '窗口受理']);
    expect(rows.find((r) => r.startsWith('部门,ENV,'))).toContain(',434,417,17,');
    expect(text).toContain('91.94%');
  });

  it('computes any date range on demand', async () => {
    // Act: the week of the early decisions
    const res = await h.call('GET', '/reports?from=2026-10-12&to=2026-10-16', { token: supervisor });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-10-12', to: '2026-10-16' });
    const env = res.body.departments.find((d: any) => d.department === 'ENV');
    expect(env).toEqual(expect.objectContaining({ received: 423, approved: 365, denied: 24, completedEarly: 365 }));
  });

  it('names the fields of a bad date range in a problem document', async () => {
    // Act
    const bad = await h.call('GET', '/reports?from=2026-02-30&to=2026-01-01', { token: supervisor });
    const reversed = await h.call('GET', '/reports?from=2026-10-31&to=2026-10-01', { token: supervisor });
    const missing = await h.call('GET', '/reports', { token: supervisor });
    const month = await h.call('GET', '/reports/2026-13', { token: supervisor });
    // Assert
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(bad.body.errors.map((e: any) => e.field)).toContain('query.from');
    expect(reversed.body.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
    expect(missing.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['query.from', 'query.to']));
    expect(month.status).toBe(400);
    expect(month.body.errors[0].field).toBe('month');
  });

  it('is for supervisors and administrators: window staff get 403, no token 401', async () => {
    // Act
    const window = await h.call('GET', '/reports/2026-10', { token: civilWindow });
    const anonymous = await h.call('GET', '/reports/2026-10');
    // Assert
    expect(window.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it('lists the denials filed for the supervisors in a month', async () => {
    // Act
    const res = await h.call('GET', '/supervision/denials?month=2026-10', { token: supervisor });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(24);
    expect(res.body.denials[0]).toEqual(
      expect.objectContaining({
        department: 'ENV',
        itemCode: 'ENV-EIA-FORM',
        reason: '项目选址不符合生态保护红线要求',
        deniedBy: 'env-a1',
      }),
    );
    expect(JSON.stringify(res.body)).not.toContain(APPLICANT.phone);
  });
});
