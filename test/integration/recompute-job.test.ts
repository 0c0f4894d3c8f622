/**
 * The deadline recomputation after a calendar change runs off the request path and resumes:
 * the recompute-deadlines job pages through the open cases, stops when its run's budget is
 * spent, and the next run carries on from its cursor, so every open case is recomputed exactly
 * once whatever their number. A change made while it runs starts it over.
 * Golden dates as in calendar.test.ts: ENV-EIA-FORM accepted Monday 2026-12-28 ends on
 * 2027-01-06 counting weekends only, 2027-01-07 once 2027-01-01 is a holiday.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { runRecomputeJob } from '../../shared/usecases/recompute-deadlines';
import type { JobBudget } from '../../shared/usecases/sweep';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materials = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);
const CASES = 7;
const PAGE = 3;

/** A budget that lasts `pages` checks, then says the run is out of time. */
function budgetOf(pages: number): JobBudget {
  let left = pages;
  return { remainingMs: () => (left-- > 0 ? 60_000 : 0) };
}

describe('the recompute-deadlines job', () => {
  let h: Harness;
  let admin: string;
  let window: string;
  const caseNos: string[] = [];

  const recomputeNotes = async (caseNo: string) =>
    (await h.call('GET', `/cases/${caseNo}/history`, { token: window })).body.history.filter(
      (e: { action: string }) => e.action === 'recompute-deadlines',
    );
  const dueOnWorklist = async () =>
    new Map(
      (await h.call('GET', '/worklist', { token: window })).body.cases.map((c: { caseNo: string; due: string }) => [
        c.caseNo,
        c.due,
      ]),
    );

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-28T09:00:00+08:00' });
    admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    for (let i = 0; i < CASES; i++) {
      const caseNo = (await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materials) })).body.caseNo;
      await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
      caseNos.push(caseNo);
    }
  });
  afterAll(async () => h.stop());

  it('stops when its budget is spent, resumes from its cursor, and recomputes every open case exactly once', async () => {
    // Arrange
    const put = await h.call('PUT', '/calendar/2027', {
      token: admin,
      body: { holidays: ['2027-01-01'], workdays: [], source: '测试数据' },
    });
    // Act: the first run may read one page; the next runs two pages each
    const first = await runRecomputeJob(h.deps, budgetOf(1), { pageSize: PAGE, reserveMs: 1 });
    const midway = await h.call('GET', '/calendar/2027');
    const runs = [first];
    while (runs.at(-1)!.state === 'pending') {
      runs.push(await runRecomputeJob(h.deps, budgetOf(2), { pageSize: PAGE, reserveMs: 1 }));
    }
    const due = await dueOnWorklist();
    // Assert
    expect(put.status).toBe(202);
    expect(first).toEqual(expect.objectContaining({ state: 'pending', processed: PAGE, changed: PAGE }));
    expect(midway.body.recompute).toEqual(
      expect.objectContaining({ state: 'pending', casesLookedAt: PAGE, casesChanged: PAGE }),
    );
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.at(-1)).toEqual(expect.objectContaining({ state: 'done', changed: CASES, runs: runs.length }));
    for (const caseNo of caseNos) {
      expect(due.get(caseNo)).toBe('2027-01-07');
      expect(await recomputeNotes(caseNo)).toHaveLength(1);
    }
  });

  it('starts over when the calendar changes again while it runs', async () => {
    // Arrange: a change, one page done
    await h.call('PUT', '/calendar/2027', {
      token: admin,
      body: { holidays: ['2027-01-01', '2027-01-04'], workdays: [], source: '测试数据' },
    });
    const partial = await runRecomputeJob(h.deps, budgetOf(1), { pageSize: PAGE, reserveMs: 1 });
    // Act: another change before the job finishes, then runs until done
    await h.call('PUT', '/calendar/2027', { token: admin, body: { holidays: [], workdays: [], source: '测试数据' } });
    const done = await runRecomputeJob(h.deps, budgetOf(100), { pageSize: PAGE, reserveMs: 1 });
    const due = await dueOnWorklist();
    // Assert: the last calendar wins for every case (weekends only again: 2027-01-06)
    expect(partial.state).toBe('pending');
    expect(done).toEqual(expect.objectContaining({ state: 'done', processed: CASES, runs: 1 }));
    for (const caseNo of caseNos) expect(due.get(caseNo)).toBe('2027-01-06');
  });

  it('does nothing when no change is pending', async () => {
    const idle = await runRecomputeJob(h.deps, budgetOf(100));
    expect(idle).toEqual({ state: 'idle' });
  });
});
