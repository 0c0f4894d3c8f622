/**
 * The two reads the staff console needed beyond what the API had: a window post's presence
 * (GET /posts/{post}/presence, shown before anyone marks it), and the complaints transferred or
 * supervised to the caller's department (GET /complaints/assigned), which its staff may answer.
 */
import { startHarness, type Harness } from '../support/harness';

describe('the console reads', () => {
  let h: Harness;
  let envA: string;
  let envReviewer: string;
  let mktWindow: string;
  let supervisor: string;

  beforeEach(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    envA = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    envReviewer = await h.token({ sub: 'env-b1', role: 'reviewer', dept: 'ENV' });
    mktWindow = await h.token({ sub: 'mkt-a1', role: 'window', dept: 'MKT' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
  });
  afterEach(async () => h.stop());

  it('shows both persons of a post present before anyone marks them, and B taking new cases once A is away', async () => {
    // Act
    const before = await h.call('GET', '/posts/ENV-01/presence', { token: envReviewer });
    await h.call('PUT', '/posts/ENV-01/presence', {
      token: envA,
      body: { person: 'a', present: false, note: '外出培训' },
    });
    const after = await h.call('GET', '/posts/ENV-01/presence', { token: envReviewer });
    // Assert
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      post: 'ENV-01',
      department: 'ENV',
      a: { staffId: 'env-a1', present: true },
      b: { staffId: 'env-b1', present: true },
      receivesNewCases: true,
      nextCaseTo: 'env-a1',
    });
    expect(after.body).toEqual(
      expect.objectContaining({ a: { staffId: 'env-a1', present: false, note: '外出培训' }, nextCaseTo: 'env-b1' }),
    );
  });

  it('answers 404 for a post the hall does not have, and 401 without a token', async () => {
    // Act
    const unknown = await h.call('GET', '/posts/ENV-99/presence', { token: envA });
    const anonymous = await h.call('GET', '/posts/ENV-01/presence');
    // Assert
    expect(unknown.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });

  it('lists a complaint transferred to the department for its staff only, masked, and no longer once answered', async () => {
    // Arrange
    const made = await h.call('POST', '/complaints', {
      body: { who: '王五', contact: '13900007777', text: '咨询电话无人接听' },
    });
    const id = made.body.id as string;
    const beforeTransfer = await h.call('GET', '/complaints/assigned', { token: envA });
    await h.call('POST', `/complaints/${id}/actions`, {
      token: supervisor,
      body: { type: 'transfer', department: 'ENV', note: '请环保局核查' },
    });
    // Act
    const env = await h.call('GET', '/complaints/assigned', { token: envReviewer });
    const mkt = await h.call('GET', '/complaints/assigned', { token: mktWindow });
    const notForSupervisors = await h.call('GET', '/complaints/assigned', { token: supervisor });
    await h.call('POST', `/complaints/${id}/actions`, { token: envA, body: { type: 'answer', answer: '已恢复值守' } });
    const afterAnswer = await h.call('GET', '/complaints/assigned', { token: envA });
    // Assert
    expect(beforeTransfer.body.complaints.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(env.status).toBe(200);
    expect(env.body.complaints).toEqual([
      expect.objectContaining({
        id,
        who: '王*',
        contact: '139****7777',
        state: 'transferred',
        handlingDepartment: 'ENV',
        allowed: ['supervise', 'answer'],
      }),
    ]);
    expect(mkt.body.complaints.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(notForSupervisors.status).toBe(403);
    expect(afterAnswer.body.complaints.map((c: { id: string }) => c.id)).not.toContain(id);
  });
});
