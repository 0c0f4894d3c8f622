/**
 * The working-day calendar kept by administrators, over HTTP against dynalite: a year without
 * official data counts weekends only and flags the cases it touches; PUT /calendar/{year}
 * stores the year and recomputes every open case, on its record.
 * Golden dates: ENV-EIA-FORM (7 working days) accepted Monday 2026-12-28 ends on 2027-01-06
 * counting weekends only, and on 2027-01-07 once 2027-01-01 is a holiday.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

const YEAR_2027 = {
  holidays: [
    '2027-01-01',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
  ],
  workdays: ['2027-02-20'],
  source: '测试数据 (test data, not the State Council notice)',
};

describe('the working-day calendar kept by administrators', () => {
  let h: Harness;
  let admin: string;
  let window: string;

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-28T09:00:00+08:00' });
    admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
  });
  afterAll(async () => h.stop());

  it('says whether a year is official, stored or missing', async () => {
    // Act
    const official = await h.call('GET', '/calendar/2026');
    const missing = await h.call('GET', '/calendar/2031');
    // Assert
    expect(official.status).toBe(200);
    expect(official.body).toEqual(expect.objectContaining({ year: 2026, status: 'official', source: 'chinese-days' }));
    expect(official.body.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07']));
    expect(official.body.workdays).toContain('2026-10-10');
    expect(missing.body).toEqual(
      expect.objectContaining({ year: 2031, status: 'missing', holidays: [], workdays: [] }),
    );
  });

  it('moves the deadlines of an open case into the new year, clears its warning and records the recomputation', async () => {
    // Arrange: accepted Monday 2026-12-28, before 2027 has a calendar
    const caseNo = (
      await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')) })
    ).body.caseNo;
    const receipt = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const before = await h.call('GET', `/cases/${caseNo}`, { token: window });
    // Act
    const put = await h.call('PUT', '/calendar/2027', { token: admin, body: YEAR_2027 });
    const worklistBeforeJob = await h.call('GET', '/worklist', { token: window });
    const run = await h.runJob('jobs', 'recompute-deadlines');
    const after = await h.call('GET', `/cases/${caseNo}`, { token: window });
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
    const worklist = await h.call('GET', '/worklist', { token: window });
    const stored = await h.call('GET', '/calendar/2027');
    // Assert
    expect(receipt.body.calendarIncomplete).toBe(true);
    expect(before.body.calendarIncomplete).toBe(true);
    expect(before.body.deadlines.committed).toBe('2027-01-06');
    expect(put.status).toBe(202);
    expect(put.body).toEqual(
      expect.objectContaining({
        year: 2027,
        status: 'stored',
        updatedBy: 'hall-admin',
        holidays: YEAR_2027.holidays,
        recompute: expect.objectContaining({ state: 'pending', casesLookedAt: 0, casesChanged: 0 }),
      }),
    );
    expect(worklistBeforeJob.body.cases.find((c: any) => c.caseNo === caseNo).due).toBe('2027-01-06');
    expect(run.result).toEqual(expect.objectContaining({ state: 'done', changed: 1 }));
    expect(after.body.deadlines.committed).toBe('2027-01-07');
    expect(after.body.calendarIncomplete).toBeUndefined();
    expect(history.body.history.at(-1)).toEqual(
      expect.objectContaining({
        action: 'recompute-deadlines',
        actor: 'hall-admin',
        role: 'admin',
        from: 'accepted',
        to: 'accepted',
        note: expect.stringMatching(/calendar 2027 changed by hall-admin: committed 2027-01-06 → 2027-01-07/),
      }),
    );
    expect(worklist.body.cases.find((c: any) => c.caseNo === caseNo).due).toBe('2027-01-07');
    expect(stored.body).toEqual(
      expect.objectContaining({
        status: 'stored',
        updatedBy: 'hall-admin',
        workdays: ['2027-02-20'],
        recompute: expect.objectContaining({ state: 'done', casesChanged: 1, finishedAt: expect.any(String) }),
      }),
    );
  });

  it('recomputes nothing when the same year is stored again', async () => {
    const res = await h.call('PUT', '/calendar/2027', { token: admin, body: YEAR_2027 });
    const run = await h.runJob('jobs', 'recompute-deadlines');
    const again = await h.runJob('jobs', 'recompute-deadlines');
    expect(res.status).toBe(202);
    expect(run.result).toEqual(expect.objectContaining({ state: 'done', changed: 0 }));
    expect(again.result).toEqual({ state: 'idle' });
  });

  it('lets only administrators store a year', async () => {
    // Act
    const byWindow = await h.call('PUT', '/calendar/2028', {
      token: window,
      body: { holidays: ['2028-01-01'], workdays: [] },
    });
    const anonymous = await h.call('PUT', '/calendar/2028', { body: { holidays: ['2028-01-01'], workdays: [] } });
    const after = await h.call('GET', '/calendar/2028');
    // Assert
    expect(byWindow.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(after.body.status).toBe('missing');
  });

  it('refuses a bad body with a problem document naming every bad field', async () => {
    // Act
    const res = await h.call('PUT', '/calendar/2028', {
      token: admin,
      body: { holidays: ['2028-02-30', 'soon'], workdays: ['2028-01-03'] },
    });
    // Assert
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['holidays[0]', 'holidays[1]', 'workdays[0]']);
    expect(res.body.errors.find((e: any) => e.field === 'workdays[0]').message).toContain('weekday');
  });

  it('refuses dates outside the year of the path, and a path that is not a year', async () => {
    const wrongYear = await h.call('PUT', '/calendar/2028', {
      token: admin,
      body: { holidays: ['2027-10-01'], workdays: [] },
    });
    const notAYear = await h.call('PUT', '/calendar/next', { token: admin, body: { holidays: [], workdays: [] } });
    const missingList = await h.call('PUT', '/calendar/2028', { token: admin, body: { holidays: [] } });
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.body.errors).toEqual([{ field: 'holidays[0]', message: '2027-10-01 is not in 2028' }]);
    expect(notAYear.body.errors.map((e: any) => e.field)).toEqual(['year']);
    expect(missingList.body.errors.map((e: any) => e.field)).toEqual(['workdays']);
  });
});
