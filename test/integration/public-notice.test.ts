/**
 * A staged item with two public notices (DPF-SEVERE-DISABILITY: village review, a 5-day notice,
 * town review, DPF review, a 3-day notice), walked through its whole life over HTTP with the
 * clock moved: every reader of the deadline (the progress view, the review tasks, supervision,
 * the task-timeouts job, the monthly report) sees the same deadline, moved by each notice.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const ITEM = 'DPF-SEVERE-DISABILITY';
const materials = catalog
  .item(ITEM)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

const reviewer = (h: Harness, dept: string) => h.token({ sub: `${dept.toLowerCase()}-a1`, role: 'reviewer', dept });

async function openTask(h: Harness, caseNo: string, dept: string): Promise<{ taskId: string; due: string }> {
  const token = await reviewer(h, dept);
  return waitFor(async () => {
    const res = await h.call('GET', '/worklist', { token });
    return res.body.tasks.find((t: any) => t.caseNo === caseNo && t.status === 'open');
  }, `the ${dept} task of ${caseNo}`);
}

async function approve(h: Harness, caseNo: string, dept: string) {
  const { taskId } = await openTask(h, caseNo, dept);
  const res = await h.call('POST', `/tasks/${taskId}/decision`, {
    token: await reviewer(h, dept),
    body: { decision: 'approve' },
  });
  expect(res.status).toBe(200);
}

const staffView = async (h: Harness, caseNo: string) =>
  (await h.call('GET', `/cases/${caseNo}`, { token: await h.token({ sub: 'dpf-w', role: 'window', dept: 'DPF' }) }))
    .body;

async function whenNoticed(h: Harness, caseNo: string, count: number) {
  return waitFor(async () => {
    const v = await staffView(h, caseNo);
    const notices = v.pauses.filter((p: any) => p.reason === 'public-notice');
    return notices.length >= count ? v : undefined;
  }, `public notice ${count} of ${caseNo}`);
}

describe('a public notice moves every deadline', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-09T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('moves the stored deadline, the later tasks, supervision, timeouts and the report with each notice', async () => {
    // Arrange: accepted Mon 2026-11-09; committed 20 working days later, 2026-12-07
    const submitted = await h.call('POST', '/cases', { body: fullSubmission(ITEM, materials) });
    const caseNo = submitted.body.caseNo as string;
    const window = await h.token({ sub: 'dpf-a1', role: 'window', dept: 'DPF' });
    const accepted = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });

    // Act 1: the village approves; the 5-day notice starts
    await approve(h, caseNo, 'VILLAGE');
    const duringFirst = await whenNoticed(h, caseNo, 1);
    const applicantView = (await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) })).body;

    // Act 2: the notice ends; the town's task opens, then the town approves; DPF's task opens
    h.clock.set(duringFirst.pauses.find((p: any) => p.reason === 'public-notice').end);
    const townTask = await openTask(h, caseNo, 'TOWN');
    await approve(h, caseNo, 'TOWN');
    const dpfTask = await openTask(h, caseNo, 'DPF');

    // Act 3: Tue 2026-12-08, past the first committed date: supervision and the timeouts job look
    h.clock.set('2026-12-08T09:00:00+08:00');
    const board = (await h.call('GET', '/supervision', { token: supervisor })).body;
    const timeouts = await h.runJob('review', 'task-timeouts');

    // Act 4: DPF approves on 12-08; the second notice (3 days) runs; the case is decided when it ends
    await approve(h, caseNo, 'DPF');
    const duringSecond = await whenNoticed(h, caseNo, 2);
    const secondNotice = duringSecond.pauses.filter((p: any) => p.reason === 'public-notice')[1];
    h.clock.set(secondNotice.end);
    await h.workflow.whenDone(caseNo);
    const decided = await staffView(h, caseNo);
    const report = (await h.call('GET', '/reports/2026-12', { token: supervisor })).body;

    // Assert: the first notice moved the stored deadline by its 4 working days, and the view says paused
    expect(accepted.body.deadlines.committed).toBe('2026-12-07');
    expect(duringFirst.deadlines.committed).toBe('2026-12-11');
    expect(duringFirst.paused).toBe(true);
    expect(duringFirst.pause).toEqual({
      reason: 'public-notice',
      since: expect.any(String),
      until: '2026-11-15T00:00:00.000+08:00',
    });
    expect(applicantView).toMatchObject({ paused: true, pause: { reason: 'public-notice' } });
    expect(applicantView.deadlines.committed).toBe('2026-12-11');
    // the later stages' tasks are due by the moved deadline
    expect(townTask.due).toBe('2026-12-11');
    expect(dpfTask.due).toBe('2026-12-11');
    // on 12-08 nothing of this case is red, and no task was escalated or deemed
    const onBoard = [...board.red, ...board.yellow].filter((i: any) => i.caseNo === caseNo);
    expect(board.red.filter((i: any) => i.caseNo === caseNo)).toEqual([]);
    expect(onBoard.every((i: any) => i.due === '2026-12-11')).toBe(true);
    expect(timeouts).toEqual(expect.objectContaining({ deemed: [], escalated: [] }));
    // the second notice moved it again, to 2026-12-16; decided on 12-12, the case is on time
    expect(duringSecond.deadlines.committed).toBe('2026-12-16');
    expect(duringSecond.paused).toBe(true);
    expect(decided.status).toBe('approved');
    expect(decided.decidedAt.slice(0, 10)).toBe('2026-12-12');
    expect(decided.deadlines.committed).toBe('2026-12-16');
    const dpf = report.departments.find((d: any) => d.department === 'DPF');
    expect({ onTime: dpf.onTime, decidedLate: dpf.decidedLate }).toEqual({ onTime: 1, decidedLate: 0 });
  });
});
