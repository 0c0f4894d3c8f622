/**
 * The standing sweeps of the review function (task timeouts, resuming reviews) page through
 * the open-by-deadline index and stop when their run's budget is spent; the next run goes on
 * from the saved cursor (shared/usecases/sweep.ts). Nothing is done twice, nothing skipped.
 * HOUSING-LOW-RENT does not allow timeout default: an overdue COMMUNITY task is escalated once.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { applyTaskTimeouts, resumeReviews } from '../../shared/usecases/review';
import type { JobBudget } from '../../shared/usecases/sweep';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const ITEM = 'HOUSING-LOW-RENT';
const materials = catalog
  .item(ITEM)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);
const CASES = 5;
const OPTIONS = { pageSize: 2, reserveMs: 1 };

/** A budget that lasts `pages` pages, then says the run is out of time. */
function budgetOf(pages: number): JobBudget {
  let left = pages;
  return { remainingMs: () => (left-- > 0 ? 60_000 : 0) };
}

describe('sweeps that resume where they stopped', () => {
  let h: Harness;
  const caseNos: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
    const window = await h.token({ sub: 'housing-a1', role: 'window', dept: 'HOUSING' });
    const reviewer = await h.token({ sub: 'community-a1', role: 'reviewer', dept: 'COMMUNITY' });
    for (let i = 0; i < CASES; i++) {
      const caseNo = (await h.call('POST', '/cases', { body: fullSubmission(ITEM, materials) })).body.caseNo as string;
      await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
      caseNos.push(caseNo);
    }
    await waitFor(async () => {
      const tasks = (await h.call('GET', '/worklist', { token: reviewer })).body.tasks as unknown[];
      return tasks.length === CASES || undefined;
    }, 'every COMMUNITY task open');
  });
  afterAll(async () => h.stop());

  it('escalates every overdue task exactly once over several short runs of task-timeouts', async () => {
    // Arrange: past every task's due date
    const due = (await h.deps.cases.get(caseNos[0]))!.deadlines!.committed;
    h.clock.set(`${due}T23:59:59+08:00`);
    h.clock.advance(2000);
    // Act: runs of one page each, until a run reaches the end of the pass
    const escalated: string[] = [];
    const runs = [];
    for (;;) {
      const result = await applyTaskTimeouts(h.deps, budgetOf(1), OPTIONS);
      escalated.push(...result.escalated);
      runs.push(result.run);
      if (result.run.state === 'done') break;
    }
    const again = await applyTaskTimeouts(h.deps);
    // Assert
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.slice(0, -1).every((r) => r.state === 'pending')).toBe(true);
    expect(escalated.sort()).toEqual(caseNos.map((c) => `${c}.0.COMMUNITY`).sort());
    expect(again.escalated).toEqual([]);
    expect(again.run.state).toBe('done');
  });

  it('starts the execution of every case in review over several short runs of resume-reviews', async () => {
    // Act
    const resumed: string[] = [];
    let rounds = 0;
    while (resumed.length < CASES && rounds++ < 50)
      resumed.push(...(await resumeReviews(h.deps, budgetOf(1), OPTIONS)));
    // Assert
    expect(rounds).toBeGreaterThan(1);
    expect(resumed.sort()).toEqual([...caseNos].sort());
  });
});
