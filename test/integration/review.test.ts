/**
 * Multi-department review over HTTP: the real ASL file run by the local engine, tasks and
 * decisions in dynalite, tokens answered by the review function.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);
const JOINT = 'MKT-ENTERPRISE-JOINT';
const JOINT_DEPTS = ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'];

async function submitAndAccept(h: Harness, itemCode: string): Promise<string> {
  const lead = catalog.item(itemCode)!.department;
  const caseNo = (await h.call('POST', '/cases', { body: fullSubmission(itemCode, materialsOf(itemCode)) })).body
    .caseNo;
  const window = await h.token({ sub: `${lead.toLowerCase()}-a1`, role: 'window', dept: lead });
  const accepted = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
  expect(accepted.body.status).toBe('in-review');
  return caseNo;
}

// Tasks go to the A person of the department's post (A/B posts); A is present in these tests.
const reviewer = (h: Harness, dept: string) => h.token({ sub: `${dept.toLowerCase()}-a1`, role: 'reviewer', dept });

/** The department's open task of the case, once the state machine has opened it. */
async function taskOf(h: Harness, caseNo: string, dept: string): Promise<string> {
  const token = await reviewer(h, dept);
  return waitFor(async () => {
    const res = await h.call('GET', '/worklist', { token });
    return res.body.tasks.find((t: any) => t.caseNo === caseNo && t.status === 'open')?.taskId as string | undefined;
  }, `the ${dept} task of ${caseNo}`);
}

async function decide(h: Harness, caseNo: string, dept: string, body: Record<string, unknown>) {
  const taskId = await taskOf(h, caseNo, dept);
  return h.call('POST', `/tasks/${taskId}/decision`, { token: await reviewer(h, dept), body });
}

async function caseAsLead(h: Harness, caseNo: string, lead = 'MKT') {
  return (
    await h.call('GET', `/cases/${caseNo}`, { token: await h.token({ sub: 'lead', role: 'window', dept: lead }) })
  ).body;
}

describe('multi-department review', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('runs the enterprise joint registration with 5 departments deciding concurrently, and consolidates to approved', async () => {
    // Arrange
    const caseNo = await submitAndAccept(h, JOINT);
    // Act
    const replies = await Promise.all(
      JOINT_DEPTS.map((d) => decide(h, caseNo, d, { decision: 'approve', opinion: `${d} 同意` })),
    );
    await h.workflow.whenDone(caseNo);
    // Assert
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const view = await caseAsLead(h, caseNo);
    expect(view.status).toBe('approved');
    expect(view.reviews.map((r: any) => r.department).sort()).toEqual([...JOINT_DEPTS].sort());
    expect(view.reviews.every((r: any) => r.decision === 'approve' && r.stage === 0 && r.decidedAt)).toBe(true);
    expect(h.workflow.transitions(caseNo)).toBeLessThanOrEqual(2 * 5 + 4);
  });

  it('denies the case when any department denies, with every reason, and files the denial', async () => {
    // Arrange
    const caseNo = await submitAndAccept(h, JOINT);
    // Act
    await Promise.all([
      decide(h, caseNo, 'MKT', { decision: 'approve' }),
      decide(h, caseNo, 'QS', { decision: 'deny', reason: '企业名称与已登记企业相同' }),
      decide(h, caseNo, 'STAX', { decision: 'approve' }),
      decide(h, caseNo, 'LTAX', { decision: 'approve' }),
      decide(h, caseNo, 'PSB', { decision: 'deny', reason: '印章刻制备案材料不全' }),
    ]);
    await h.workflow.whenDone(caseNo);
    // Assert
    const view = await caseAsLead(h, caseNo);
    expect(view.status).toBe('denied');
    expect(view.decision.reason).toContain('QS: 企业名称与已登记企业相同');
    expect(view.decision.reason).toContain('PSB: 印章刻制备案材料不全');
    const filings = await h.deps.denials.month('2026-11');
    expect(filings.map((f) => f.caseNo)).toContain(caseNo);
  });

  it('refuses a repeated, a cross-department and a late decision without changing anything', async () => {
    // Arrange
    const caseNo = await submitAndAccept(h, JOINT);
    const qsTask = await taskOf(h, caseNo, 'QS');
    await h.call('POST', `/tasks/${qsTask}/decision`, {
      token: await reviewer(h, 'QS'),
      body: { decision: 'approve' },
    });
    // Act
    const repeated = await h.call('POST', `/tasks/${qsTask}/decision`, {
      token: await reviewer(h, 'QS'),
      body: { decision: 'deny', reason: 'x' },
    });
    const crossDept = await h.call('POST', `/tasks/${await taskOf(h, caseNo, 'PSB')}/decision`, {
      token: await reviewer(h, 'QS'),
      body: { decision: 'approve' },
    });
    const noReason = await h.call('POST', `/tasks/${await taskOf(h, caseNo, 'PSB')}/decision`, {
      token: await reviewer(h, 'PSB'),
      body: { decision: 'deny' },
    });
    // Assert
    expect([repeated.status, crossDept.status, noReason.status]).toEqual([409, 403, 400]);
    const view = await caseAsLead(h, caseNo);
    expect(view.reviews).toHaveLength(1);
    expect(view.reviews[0]).toEqual(expect.objectContaining({ department: 'QS', decision: 'approve' }));
  });

  it('pauses a parallel review for a return and supplement, then the returning department reviews again', async () => {
    // Arrange
    const caseNo = await submitAndAccept(h, JOINT);
    await Promise.all(['MKT', 'STAX'].map((d) => decide(h, caseNo, d, { decision: 'approve' })));
    // Act
    const returned = await decide(h, caseNo, 'QS', {
      decision: 'return',
      problems: [{ code: 'ARTICLES', note: '章程缺少股东签字' }],
    });
    const whileReturned = await caseAsLead(h, caseNo);
    const supplemented = await h.call('POST', `/cases/${caseNo}/supplements`, {
      headers: h.asApplicant(caseNo),
      body: { materials: ['ARTICLES'] },
    });
    await Promise.all(['QS', 'LTAX', 'PSB'].map((d) => decide(h, caseNo, d, { decision: 'approve' })));
    await h.workflow.whenDone(caseNo);
    // Assert
    expect(returned.body.status).toBe('returned');
    expect(whileReturned.status).toBe('supplement-required');
    expect(whileReturned.notice.missing.map((m: any) => m.code)).toEqual(['ARTICLES']);
    expect(supplemented.body.status).toBe('in-review');
    const view = await caseAsLead(h, caseNo);
    expect(view.status).toBe('approved');
    await h.events.settled();
    const told = (await h.deps.localSms!.outbox()).filter((m) => m.text.includes(caseNo)).map((m) => m.kind);
    expect(told.sort()).toEqual(['acceptance', 'completion', 'receipt', 'supplement-notice']);
    expect(view.reviews.filter((r: any) => r.department === 'QS').map((r: any) => r.decision)).toEqual([
      'return',
      'approve',
    ]);
  });

  it('runs the staged low-rent housing stage by stage, then waits out the 15-day public notice (time travel)', async () => {
    // Arrange
    const item = catalog.item('HOUSING-LOW-RENT')!;
    const caseNo = await submitAndAccept(h, item.code);
    const reviewStages = item.stages.filter((s) => s.kind === 'review') as { departments: string[] }[];
    // Act: each stage's department decides when its stage opens
    for (const stage of reviewStages) {
      for (const d of stage.departments) expect((await decide(h, caseNo, d, { decision: 'approve' })).status).toBe(200);
    }
    const during = await waitFor(async () => {
      const v = await caseAsLead(h, caseNo, 'HOUSING');
      return v.pauses.some((p: any) => p.reason === 'public-notice') ? v : undefined;
    }, 'the public notice');
    const notice = during.pauses.find((p: any) => p.reason === 'public-notice');
    h.clock.set(notice.end);
    await h.workflow.whenDone(caseNo);
    // Assert
    expect(during.status).toBe('in-review');
    expect(notice.end).toBe('2026-11-18T00:00:00.000+08:00');
    const view = await caseAsLead(h, caseNo, 'HOUSING');
    expect(view.status).toBe('approved');
    expect(view.reviews).toHaveLength(reviewStages.length);
  });
});

describe('overdue review tasks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('takes a department past its due date as agreeing on an item that allows timeout default, and records it as such', async () => {
    // Arrange
    const caseNo = await submitAndAccept(h, JOINT);
    await Promise.all(['MKT', 'QS', 'STAX', 'LTAX'].map((d) => decide(h, caseNo, d, { decision: 'approve' })));
    await taskOf(h, caseNo, 'PSB');
    const due = (await caseAsLead(h, caseNo)).deadlines.committed;
    h.clock.set(`${due}T23:59:59+08:00`);
    h.clock.advance(2000);
    // Act
    const result = await h.runJob('review', 'task-timeouts');
    await h.workflow.whenDone(caseNo);
    // Assert
    expect(result.deemed).toEqual([`${caseNo}.0.PSB`]);
    const view = await caseAsLead(h, caseNo);
    expect(view.status).toBe('approved');
    expect(view.reviews.find((r: any) => r.department === 'PSB')).toEqual(
      expect.objectContaining({ decision: 'approve', deemed: true }),
    );
  });

  it('escalates instead on an item that does not allow it, once', async () => {
    // Arrange
    const fresh = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
    try {
      const caseNo = await submitAndAccept(fresh, 'HOUSING-LOW-RENT');
      await taskOf(fresh, caseNo, 'COMMUNITY');
      const due = (await caseAsLead(fresh, caseNo, 'HOUSING')).deadlines.committed;
      fresh.clock.set(`${due}T23:59:59+08:00`);
      fresh.clock.advance(2000);
      // Act
      const first = await fresh.runJob('review', 'task-timeouts');
      const second = await fresh.runJob('review', 'task-timeouts');
      // Assert
      expect(first.escalated).toEqual([`${caseNo}.0.COMMUNITY`]);
      expect(second.escalated).toEqual([]);
      const history = (
        await fresh.call('GET', `/cases/${caseNo}/history`, {
          token: await fresh.token({ sub: 'h', role: 'window', dept: 'HOUSING' }),
        })
      ).body.history;
      expect(history.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
      expect((await caseAsLead(fresh, caseNo, 'HOUSING')).status).toBe('in-review');
    } finally {
      await fresh.stop();
    }
  });
});

describe('repairing a review that never started', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('starts the review of a case left in review without an execution (its start failed after the acceptance was saved)', async () => {
    // Arrange: the acceptance is saved, the start of the execution is lost
    const caseNo = (await h.call('POST', '/cases', { body: fullSubmission(JOINT, materialsOf(JOINT)) })).body.caseNo;
    const c = (await h.deps.cases.get(caseNo))!;
    await h.deps.cases.save({ ...c, status: 'in-review', acceptedAt: c.receivedAt, version: c.version + 1 }, c.version);
    const before = h.workflow.running();
    // Act
    const result = await h.runJob('review', 'resume-reviews');
    // Assert
    expect(before).not.toContain(caseNo);
    expect(result.resumed).toEqual([caseNo]);
    expect(await taskOf(h, caseNo, 'QS')).toBe(`${caseNo}.0.QS`);
  });
});

describe('a restart in the middle of a review', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-restart-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: two of five departments decide, the runtime stops and starts again, the other three finish it', async () => {
    // Arrange
    const first = await startHarness({ dataDir, clockStart: '2026-11-02T09:00:00+08:00' });
    let caseNo: string;
    try {
      caseNo = await submitAndAccept(first, JOINT);
      await Promise.all(['MKT', 'QS'].map((d) => decide(first, caseNo, d, { decision: 'approve' })));
    } finally {
      await first.stop();
    }
    // Act
    const second = await startHarness({ dataDir, clockStart: '2026-11-03T09:00:00+08:00' });
    try {
      await Promise.all(['STAX', 'LTAX', 'PSB'].map((d) => decide(second, caseNo, d, { decision: 'approve' })));
      await second.workflow.whenDone(caseNo);
      // Assert
      const view = await caseAsLead(second, caseNo);
      expect(view.status).toBe('approved');
      expect(view.reviews.map((r: any) => r.department).sort()).toEqual([...JOINT_DEPTS].sort());
    } finally {
      await second.stop();
    }
  }, 60_000);
});
