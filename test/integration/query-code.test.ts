/**
 * The public edge of a case: its query code (查询码) opens it, phone digits no longer do, and
 * guessing stops after 5 wrong codes in 15 minutes. Bounded input and staff tokens that expire
 * and name a real department. Through HTTP against the local runtime.
 */
import { importJWK, SignJWT } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/keys';
import { QUERY_CODE_RE } from '../../shared/domain/query-code';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const EIA = loadDefaultCatalog().item('ENV-EIA-FORM')!;
const ALL = EIA.materials.filter((m) => !m.condition).map((m) => m.code);

describe('the query code on every receipt', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-03T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  const submit = (key?: string) =>
    h.call('POST', '/cases', {
      body: fullSubmission(EIA.code, ALL),
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  const progress = (caseNo: string, code?: string) =>
    h.call('GET', `/cases/${caseNo}`, code ? { headers: { 'x-query-code': code } } : {});

  it('gives every receipt a 10-character code without look-alikes, the same again on a retry', async () => {
    // Act
    const first = await submit('retry-me-1');
    const retry = await submit('retry-me-1');
    const other = await submit();
    // Assert
    expect(first.status).toBe(201);
    expect(first.body.queryCode).toMatch(QUERY_CODE_RE);
    expect(first.body.queryCode).not.toMatch(/[01IO]/);
    expect(retry.status).toBe(200);
    expect(retry.body.queryCode).toBe(first.body.queryCode);
    expect(other.body.queryCode).not.toBe(first.body.queryCode);
  });

  it('opens the case with its code as a person types it, and never with the phone digits', async () => {
    // Arrange
    const { caseNo, queryCode } = (await submit()).body;
    const typed = `${queryCode.slice(0, 5).toLowerCase()}-${queryCode.slice(5)}`;
    // Act
    const withCode = await progress(caseNo, typed);
    const withPhone = await h.call('GET', `/cases/${caseNo}?phone=1234`);
    // Assert
    expect(withCode.status).toBe(200);
    expect(withCode.text).not.toContain(queryCode);
    expect(withPhone.status).toBe(404);
  });

  it('locks a case after 5 wrong codes: 429 with Retry-After even for the right code, until the window ends', async () => {
    // Arrange
    const { caseNo, queryCode } = (await submit()).body;
    // Act
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push((await progress(caseNo, `WRONGCODE${i + 2}`)).status);
    const locked = await progress(caseNo, queryCode);
    const staff = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    const asStaff = await h.call('GET', `/cases/${caseNo}`, { token: staff });
    h.clock.advance(15 * 60_000);
    const later = await progress(caseNo, queryCode);
    // Assert
    expect(wrong).toEqual([404, 404, 404, 404, 404]);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(asStaff.status).toBe(200);
    expect(later.status).toBe(200);
  });

  it('answers at most 5 of 64 wrong codes sent at once before the lock', async () => {
    // Arrange
    const { caseNo } = (await submit()).body;
    // Act
    const statuses = await Promise.all(
      Array.from({ length: 64 }, (_, i) => progress(caseNo, `WRONG${String(i).padStart(5, 'A')}`)),
    ).then((replies) => replies.map((r) => r.status));
    // Assert
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(59);
  });

  it('refuses the withdrawal and the supplement of a stranger without the code, writing nothing', async () => {
    // Arrange
    const { caseNo } = (await submit()).body;
    // Act
    const withdraw = await h.call('POST', `/cases/${caseNo}/withdraw`, { body: {} });
    const view = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });
    // Assert
    expect(withdraw.status).toBe(403);
    expect(view.body.status).toBe('submitted');
  });
});

describe('bounded input and staff tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-03T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('answers a 2,100-character path value or Idempotency-Key with 400 naming it, and writes nothing', async () => {
    // Arrange
    const before = (await h.allItems()).length;
    const long = 'A'.repeat(2100);
    // Act
    const path = await h.call('GET', `/cases/${long}`, { headers: { 'x-query-code': 'ABCDEFGHJK' } });
    const key = await h.call('POST', '/cases', {
      body: fullSubmission(EIA.code, ALL),
      headers: { 'idempotency-key': long },
    });
    const task = await h.call('POST', `/tasks/${long}/decision`, {
      token: await h.token({ sub: 'env-a1', role: 'reviewer', dept: 'ENV' }),
      body: { decision: 'approve' },
    });
    // Assert
    expect([path.status, key.status, task.status]).toEqual([400, 400, 400]);
    expect(path.body.errors.map((e: any) => e.field)).toEqual(['caseNo']);
    expect(key.body.errors.map((e: any) => e.field)).toEqual(['Idempotency-Key']);
    expect(task.body.errors.map((e: any) => e.field)).toEqual(['taskId']);
    expect((await h.allItems()).length).toBe(before);
  });

  async function signed(claims: Record<string, unknown>, options: { exp?: string; iatSecondsAgo?: number }) {
    const key = await importJWK(h.secrets.privateJwk, 'ES256');
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: h.secrets.privateJwk.kid })
      .setSubject('env-a1')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - (options.iatSecondsAgo ?? 0));
    if (options.exp) jwt = jwt.setExpirationTime(options.exp);
    return jwt.sign(key);
  }

  it.each([
    ['without exp', { role: 'window', dept: 'ENV' }, {}],
    ['issued 13 hours ago', { role: 'window', dept: 'ENV' }, { exp: '2h', iatSecondsAgo: 13 * 3600 }],
    ['for department XYZ', { role: 'window', dept: 'XYZ' }, { exp: '1h' }],
    ['for department ""', { role: 'window', dept: '' }, { exp: '1h' }],
  ])('refuses a staff token %s with 401', async (_name, claims, options) => {
    // Arrange
    const token = await signed(claims, options);
    // Act
    const res = await h.call('GET', '/worklist', { token });
    // Assert
    expect(res.status).toBe(401);
  });

  it('accepts a fresh token for a department of the catalog', async () => {
    // Act
    const res = await h.call('GET', '/worklist', {
      token: await signed({ role: 'window', dept: 'ENV' }, { exp: '1h' }),
    });
    // Assert
    expect(res.status).toBe(200);
  });
});
