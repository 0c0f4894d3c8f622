/**
 * A/B posts (AB岗) over HTTP: new cases go to A of the department's intake post (ENV-01:
 * env-a1 / env-b1), to B when A is marked away (the handover on the case's record and in the
 * month's handovers), and to the department when both are away.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materials = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

describe('A/B posts', () => {
  let h: Harness;
  let envA: string;
  let envB: string;
  let envOther: string;

  const submit = async () =>
    (await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materials) })).body.caseNo as string;
  const worklistOf = async (token: string) =>
    ((await h.call('GET', '/worklist', { token })).body.cases as any[]).map((c) => c.caseNo);
  const mark = (token: string, person: 'a' | 'b', present: boolean, note?: string) =>
    h.call('PUT', '/posts/ENV-01/presence', { token, body: { person, present, ...(note ? { note } : {}) } });

  beforeEach(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    envA = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    envB = await h.token({ sub: 'env-b1', role: 'window', dept: 'ENV' });
    envOther = await h.token({ sub: 'env-a2', role: 'window', dept: 'ENV' });
  });
  afterEach(async () => h.stop());

  it("puts a new case on A's worklist while A is present, and on nobody else's", async () => {
    // Act
    const caseNo = await submit();
    // Assert
    expect(await worklistOf(envA)).toEqual([caseNo]);
    expect(await worklistOf(envB)).toEqual([]);
    expect(await worklistOf(envOther)).toEqual([]);
    const view = await h.call('GET', `/cases/${caseNo}`, { token: envA });
    expect(view.body).toEqual(expect.objectContaining({ post: 'ENV-01', assignee: 'env-a1' }));
  });

  it("puts a new case on B's worklist when A is away, and records the handover", async () => {
    // Arrange
    const marked = await mark(envB, 'a', false, '年休假');
    // Act
    const caseNo = await submit();
    // Assert
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual(
      expect.objectContaining({
        post: 'ENV-01',
        a: { staffId: 'env-a1', present: false, note: '年休假' },
        nextCaseTo: 'env-b1',
        receivesNewCases: true,
      }),
    );
    expect(await worklistOf(envB)).toEqual([caseNo]);
    expect(await worklistOf(envA)).toEqual([]);
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: envB });
    expect(history.body.history[0].note).toContain('A (env-a1) is away (年休假), so B (env-b1) handles the case');
    const handovers = await h.deps.posts.handovers('ENV', '2026-09');
    expect(handovers).toEqual([expect.objectContaining({ caseNo, post: 'ENV-01', from: 'env-a1', to: 'env-b1' })]);
  });

  it('gives new cases back to A once A is marked present again, with no handover', async () => {
    // Arrange
    await mark(envB, 'a', false);
    await mark(envA, 'a', true);
    // Act
    const caseNo = await submit();
    // Assert
    expect(await worklistOf(envA)).toEqual([caseNo]);
    expect(await h.deps.posts.handovers('ENV', '2026-09')).toEqual([]);
  });

  it('leaves a new case to the whole department when both are away', async () => {
    // Arrange
    await mark(envOther, 'a', false);
    await mark(envOther, 'b', false);
    // Act
    const caseNo = await submit();
    // Assert
    expect(await worklistOf(envOther)).toEqual([caseNo]);
    expect(await worklistOf(envB)).toEqual([caseNo]);
  });

  it('lets an administrator of the hall mark presence', async () => {
    const admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    const res = await mark(admin, 'a', false);
    expect(res.status).toBe(200);
  });

  it('refuses window staff of another department with 403 and changes nothing', async () => {
    // Arrange
    const civil = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
    // Act
    const res = await mark(civil, 'a', false);
    const caseNo = await submit();
    // Assert
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await worklistOf(envA)).toEqual([caseNo]);
  });

  it('refuses a reviewer (403), an unknown post (404) and a bad body (400 naming the fields)', async () => {
    const reviewer = await h.token({ sub: 'env-r1', role: 'reviewer', dept: 'ENV' });
    const byReviewer = await mark(reviewer, 'a', false);
    const unknown = await h.call('PUT', '/posts/ENV-99/presence', {
      token: envA,
      body: { person: 'a', present: false },
    });
    const bad = await h.call('PUT', '/posts/ENV-01/presence', { token: envA, body: { person: 'c', present: 'no' } });
    expect([byReviewer.status, unknown.status, bad.status]).toEqual([403, 404, 400]);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['person', 'present']);
  });
});
