/**
 * Art. 32, automatically: the deem-acceptance job (infra/schedules.ts, run by the local
 * scheduler exactly as EventBridge runs it) over cases in dynalite, with time travel.
 * Golden dates: received Friday 2026-09-25; the 5 working days after are 09-28, 09-29, 09-30,
 * 10-08 and 10-09 (the National Day week is off), so from Saturday 10-10 the case counts as
 * accepted from 09-25, and ENV-EIA-FORM's 7 working days end on 2026-10-12 (10-10 is a make-up
 * working day).
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const all = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

describe('art. 32 deemed acceptance, run by the scheduled job', () => {
  let h: Harness;
  let window: string;
  let admin: string;
  let silent: string;
  let returnedInTime: string;
  let stillWaiting: string;
  let acceptedByStaff: string;

  const submit = async (materials = all) =>
    (await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materials) })).body.caseNo as string;
  const view = async (caseNo: string) => (await h.call('GET', `/cases/${caseNo}`, { token: window })).body;

  beforeAll(async () => {
    // Arrange: four cases received on Friday 2026-09-25
    h = await startHarness({ clockStart: '2026-09-25T10:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    silent = await submit();
    returnedInTime = await submit();
    stillWaiting = await submit();
    acceptedByStaff = await submit();
    h.clock.set('2026-09-28T10:00:00+08:00');
    await h.call('POST', `/cases/${returnedInTime}/return`, {
      token: window,
      body: { problems: [{ code: 'APPLICATION', note: '申请书未盖公章' }] },
    });
    await h.call('POST', `/cases/${stillWaiting}/return`, {
      token: window,
      body: { problems: [{ code: 'APPLICATION', note: '申请书未盖公章' }] },
    });
    await h.call('POST', `/cases/${acceptedByStaff}/accept`, { token: window, body: {} });
    h.clock.set('2026-09-29T10:00:00+08:00');
    await h.call('POST', `/cases/${returnedInTime}/supplements`, {
      headers: h.asApplicant(returnedInTime),
      body: { materials: ['APPLICATION'] },
    });
  });
  afterAll(async () => h.stop());

  it('deems nothing on the 5th working day itself', async () => {
    // Arrange
    h.clock.set('2026-10-09T23:00:00+08:00');
    // Act
    const run = await h.runNow('deem-acceptance');
    // Assert
    expect(run.result).toEqual(expect.objectContaining({ today: '2026-10-09', deemed: [] }));
    expect((await view(silent)).status).toBe('submitted');
  });

  it('accepts a case with no notice from the day it was received, once its 5th working day has passed', async () => {
    // Arrange
    h.clock.set('2026-10-10T00:05:00+08:00');
    // Act
    const run = await h.runNow('deem-acceptance');
    const after = await view(silent);
    const history = await h.call('GET', `/cases/${silent}/history`, { token: window });
    // Assert
    expect(run.job).toBe('deem-acceptance');
    expect(run.result).toEqual(expect.objectContaining({ today: '2026-10-10', deemed: [silent] }));
    expect(after.status).toBe('accepted');
    expect(after.acceptedAt).toBe(after.receivedAt);
    expect(after.deadlines).toEqual({ committed: '2026-10-12', statutory: '2026-10-26' });
    expect(history.body.history.at(-1)).toEqual(
      expect.objectContaining({
        action: 'deem-accepted',
        actor: 'system',
        role: 'system',
        from: 'submitted',
        to: 'accepted',
        note: expect.stringContaining('art. 32'),
      }),
    );
  });

  it('leaves alone a case that got its notice in time, whether supplemented or still waiting, and one staff accepted', async () => {
    expect((await view(returnedInTime)).status).toBe('submitted');
    expect((await view(stillWaiting)).status).toBe('supplement-required');
    const accepted = await view(acceptedByStaff);
    expect(accepted.acceptedAt).toMatch(/^2026-09-28T10:00/);
  });

  it('does nothing more when run again', async () => {
    // Act
    const again = await h.runNow('deem-acceptance');
    const history = await h.call('GET', `/cases/${silent}/history`, { token: window });
    // Assert
    expect(again.result).toEqual(expect.objectContaining({ deemed: [] }));
    expect(history.body.history.filter((e: any) => e.action === 'deem-accepted')).toHaveLength(1);
  });

  it('moves the deemed case on the worklist to its committed deadline', async () => {
    const res = await h.call('GET', '/worklist', { token: window });
    expect(res.body.cases.find((c: any) => c.caseNo === silent).due).toBe('2026-10-12');
  });

  it("sends a deemed joint item to its departments' review, as an acceptance by staff would", async () => {
    // Arrange: received on the day the job runs; due after its own 5th working day (10-10 + 5 = 10-16)
    const joint = catalog
      .item('MKT-ENTERPRISE-JOINT')!
      .materials.filter((m) => !m.condition)
      .map((m) => m.code);
    const caseNo = (await h.call('POST', '/cases', { body: fullSubmission('MKT-ENTERPRISE-JOINT', joint) })).body
      .caseNo as string;
    h.clock.set('2026-10-17T00:05:00+08:00');
    const reviewer = await h.token({ sub: 'mkt-a1', role: 'reviewer', dept: 'MKT' });
    // Act
    const run = await h.runNow('deem-acceptance');
    // Assert
    expect(run.result).toEqual(expect.objectContaining({ deemed: [caseNo] }));
    const mkt = await h.call('GET', `/cases/${caseNo}`, {
      token: await h.token({ sub: 'mkt-a1', role: 'window', dept: 'MKT' }),
    });
    expect(mkt.body.status).toBe('in-review');
    const task = await waitFor(async () => {
      const res = await h.call('GET', '/worklist', { token: reviewer });
      return res.body.tasks.find((t: any) => t.caseNo === caseNo);
    }, `the MKT review task of ${caseNo}`);
    expect(task).toEqual(expect.objectContaining({ caseNo, department: 'MKT' }));
  });

  it('runs a job from the local-only route with an admin token, and refuses others', async () => {
    // Act
    const ok = await h.call('POST', '/_local/jobs/deem-acceptance', { token: admin });
    const unknown = await h.call('POST', '/_local/jobs/make-coffee', { token: admin });
    const byWindow = await h.call('POST', '/_local/jobs/deem-acceptance', { token: window });
    // Assert
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(
      expect.objectContaining({
        job: 'deem-acceptance',
        result: expect.objectContaining({ today: '2026-10-17', deemed: [] }),
      }),
    );
    expect(unknown.status).toBe(404);
    expect(byWindow.status).toBe(403);
  });
});
