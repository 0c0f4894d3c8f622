/**
 * Timeout default (超时默认) on MKT-ENTERPRISE-JOINT: a department deemed to agree owes its
 * written opinion within 1 working day. It sees that duty on its worklist, supervision watches
 * it like any other, and it files the opinion on its task; the history records when.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const JOINT = 'MKT-ENTERPRISE-JOINT';
const materials = catalog
  .item(JOINT)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);
const reviewer = (h: Harness, dept: string) => h.token({ sub: `${dept.toLowerCase()}-a1`, role: 'reviewer', dept });

async function tasksOf(h: Harness, dept: string, caseNo: string) {
  const res = await h.call('GET', '/worklist', { token: await reviewer(h, dept) });
  return res.body.tasks.filter((t: any) => t.caseNo === caseNo);
}

describe("a deemed department's written opinion", () => {
  let h: Harness;
  let caseNo: string;
  let taskId: string;
  let opinionDue: string;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
    caseNo = (await h.call('POST', '/cases', { body: fullSubmission(JOINT, materials) })).body.caseNo;
    const window = await h.token({ sub: 'mkt-a1', role: 'window', dept: 'MKT' });
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    for (const d of ['MKT', 'QS', 'STAX', 'LTAX']) {
      const t = await waitFor(async () => (await tasksOf(h, d, caseNo)).find((x: any) => x.status === 'open'), d);
      await h.call('POST', `/tasks/${t.taskId}/decision`, {
        token: await reviewer(h, d),
        body: { decision: 'approve' },
      });
    }
    const psb = await waitFor(
      async () => (await tasksOf(h, 'PSB', caseNo)).find((x: any) => x.status === 'open'),
      'PSB',
    );
    taskId = psb.taskId;
    h.clock.set(`${psb.due}T23:59:59+08:00`);
    h.clock.advance(2000);
    await h.runJob('review', 'task-timeouts');
    await h.workflow.whenDone(caseNo);
    const view = await h.call('GET', `/cases/${caseNo}`, { token: window });
    const deemed = view.body.reviews.find((r: any) => r.deemed);
    opinionDue = /written opinion due (\d{4}-\d{2}-\d{2})/.exec(deemed.opinion)![1];
  });
  afterAll(async () => h.stop());

  it('puts the owed opinion on the department worklist, due 1 working day after the deemed approval', async () => {
    // Act
    const tasks = await tasksOf(h, 'PSB', caseNo);
    // Assert
    expect(tasks).toEqual([expect.objectContaining({ taskId, status: 'opinion-owed', due: opinionDue })]);
  });

  it('shows the owed opinion red on the supervision board once its due date has passed', async () => {
    // Arrange
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    h.clock.set(`${opinionDue}T12:00:00+08:00`);
    h.clock.advance(3 * 86_400_000);
    // Act
    const board = (await h.call('GET', '/supervision', { token: supervisor })).body;
    // Assert
    expect(board.red).toContainEqual(expect.objectContaining({ taskId, status: 'opinion-owed', due: opinionDue }));
  });

  it('refuses the opinion from another department and refuses a second decision', async () => {
    // Act
    const other = await h.call('POST', `/tasks/${taskId}/opinion`, {
      token: await reviewer(h, 'QS'),
      body: { opinion: '同意' },
    });
    const decision = await h.call('POST', `/tasks/${taskId}/decision`, {
      token: await reviewer(h, 'PSB'),
      body: { decision: 'approve' },
    });
    const empty = await h.call('POST', `/tasks/${taskId}/opinion`, { token: await reviewer(h, 'PSB'), body: {} });
    // Assert
    expect(other.status).toBe(403);
    expect(decision.status).toBe(409);
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('opinion');
  });

  it('files the opinion once, records it in the history and takes it off the worklist and the board', async () => {
    // Arrange
    const token = await reviewer(h, 'PSB');
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    // Act
    const filed = await h.call('POST', `/tasks/${taskId}/opinion`, { token, body: { opinion: '经核查，同意设立。' } });
    const again = await h.call('POST', `/tasks/${taskId}/opinion`, { token, body: { opinion: '再次' } });
    const window = await h.token({ sub: 'mkt-a1', role: 'window', dept: 'MKT' });
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
    const board = (await h.call('GET', '/supervision', { token: supervisor })).body;
    // Assert
    expect(filed.status).toBe(200);
    expect(filed.body.decision).toMatchObject({
      decision: 'approve',
      deemed: true,
      opinion: '经核查，同意设立。',
      opinionBy: 'psb-a1',
    });
    expect(again.status).toBe(409);
    expect(history.body.history.filter((e: any) => e.action === 'opinion-filed')).toHaveLength(1);
    expect(await tasksOf(h, 'PSB', caseNo)).toEqual([]);
    expect([...board.red, ...board.yellow].filter((i: any) => i.taskId === taskId)).toEqual([]);
  });
});
