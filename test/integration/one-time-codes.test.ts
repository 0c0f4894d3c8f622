/**
 * One-time SMS codes (a lost query code, withdrawal, 一户式查询 "my cases") and the limits that
 * stop guessing and flooding: per case, per phone, per client. Through HTTP against the local
 * runtime, the codes read from its SMS outbox.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const EIA = loadDefaultCatalog().item('ENV-EIA-FORM')!;
const ALL = EIA.materials.filter((m) => !m.condition).map((m) => m.code);

let phones = 0;
/** A phone of its own for each test, so one test's sends do not count against another's. */
const freshPhone = () => `1370000${String(1000 + ++phones)}`;

describe('one-time codes for a case', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-03T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  const submit = async (phone = freshPhone()) =>
    (await h.call('POST', '/cases', { body: fullSubmission(EIA.code, ALL, { ...APPLICANT, phone }) })).body as {
      caseNo: string;
      queryCode: string;
    };
  const askCode = (caseNo: string) => h.call('POST', `/cases/${caseNo}/one-time-code`);
  const lastCode = async (text: string) => {
    const sms = (await h.deps.localSms!.outbox()).filter((m) => m.kind === 'one-time-code' && m.text.includes(text));
    return { sms: sms.at(-1), code: /验证码(\d{6})/.exec(sms.at(-1)?.text ?? '')?.[1] };
  };
  const progress = (caseNo: string, headers: Record<string, string>) => h.call('GET', `/cases/${caseNo}`, { headers });

  it("sends 6 digits by SMS to the case's phone in one segment, and stores the code nowhere", async () => {
    // Arrange
    const phone = freshPhone();
    const { caseNo } = await submit(phone);
    // Act
    const asked = await askCode(caseNo);
    const { sms, code } = await lastCode(caseNo);
    // Assert
    expect(asked.status).toBe(202);
    expect(asked.body.expiresInSeconds).toBe(300);
    expect(sms?.to).toBe(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(sms!.text.length).toBeLessThanOrEqual(70);
    const stored = (await h.allItems()).filter((i) => i.entity !== 'outbox');
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('opens the progress once and shows the query code again; the second use gets 404', async () => {
    // Arrange
    const { caseNo, queryCode } = await submit();
    await askCode(caseNo);
    const { code } = await lastCode(caseNo);
    // Act
    const first = await progress(caseNo, { 'x-one-time-code': code! });
    const again = await progress(caseNo, { 'x-one-time-code': code! });
    // Assert
    expect(first.status).toBe(200);
    expect(first.body.queryCode).toBe(queryCode);
    expect(first.body.applicant.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(again.status).toBe(404);
  });

  it('expires a code after 5 minutes', async () => {
    // Arrange
    const { caseNo } = await submit();
    await askCode(caseNo);
    const { code } = await lastCode(caseNo);
    // Act
    h.clock.advance(5 * 60_000 + 1000);
    const late = await progress(caseNo, { 'x-one-time-code': code! });
    // Assert
    expect(late.status).toBe(404);
  });

  it('refuses a withdrawal with the query code alone (403 naming X-One-Time-Code), and withdraws with a fresh code', async () => {
    // Arrange
    const { caseNo, queryCode } = await submit();
    // Act
    const refused = await h.call('POST', `/cases/${caseNo}/withdraw`, {
      headers: { 'x-query-code': queryCode },
      body: {},
    });
    const still = await progress(caseNo, { 'x-query-code': queryCode });
    await askCode(caseNo);
    const { code } = await lastCode(caseNo);
    const withdrawn = await h.call('POST', `/cases/${caseNo}/withdraw`, {
      headers: { 'x-one-time-code': code! },
      body: {},
    });
    // Assert
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors.map((e: any) => e.field)).toEqual(['X-One-Time-Code']);
    expect(refused.body.detail).toMatch(/cannot be undone/);
    expect(still.body.status).toBe('submitted');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
  });

  it('locks the case after 5 wrong codes: the right one-time code and the right query code get 429 until the window ends', async () => {
    // Arrange
    const { caseNo, queryCode } = await submit();
    await askCode(caseNo);
    const { code } = await lastCode(caseNo);
    const wrong = code === '000000' ? '111111' : '000000';
    // Act
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await progress(caseNo, { 'x-one-time-code': wrong })).status);
    const right = await progress(caseNo, { 'x-one-time-code': code! });
    const byQueryCode = await progress(caseNo, { 'x-query-code': queryCode });
    const staff = await h.call('GET', `/cases/${caseNo}`, {
      token: await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' }),
    });
    // Assert
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(byQueryCode.status).toBe(429);
    expect(staff.status).toBe(200);
    expect(staff.body.codeLock.case).toMatch(/\+08:00$/);
  });

  it('sends at most 1 code a minute and 5 an hour per phone, with Retry-After', async () => {
    // Arrange
    const phone = freshPhone();
    const { caseNo } = await submit(phone);
    const other = await submit(phone);
    // Act
    const first = await askCode(caseNo);
    const sameMinute = await askCode(other.caseNo);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advance(61_000);
      statuses.push((await askCode(i % 2 ? caseNo : other.caseNo)).status);
    }
    // Assert
    expect(first.status).toBe(202);
    expect(sameMinute.status).toBe(429);
    expect(Number(sameMinute.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });

  it('replaces a code with the next one asked for: the older no longer opens, the newer supplies once', async () => {
    // Arrange: a case returned for supplement
    const { caseNo } = await submit();
    const window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    await h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: { problems: [{ code: ALL[0], note: '请补盖公章' }] },
    });
    await askCode(caseNo);
    const older = (await lastCode(caseNo)).code!;
    h.clock.advance(61_000);
    await askCode(caseNo);
    const newer = (await lastCode(caseNo)).code!;
    // Act
    const withOlder = await progress(caseNo, { 'x-one-time-code': older });
    const supplied = await h.call('POST', `/cases/${caseNo}/supplements`, {
      headers: { 'x-one-time-code': newer },
      body: { materials: [ALL[0]] },
    });
    // Assert
    expect(older === newer || withOlder.status === 404).toBe(true);
    expect(supplied.status).toBe(200);
    expect(supplied.body.status).toBe('submitted');
  });

  it('answers a case that does not exist as one that does, and sends nothing', async () => {
    // Arrange
    const before = (await h.deps.localSms!.outbox()).length;
    // Act
    const asked = await askCode('ENV-20261203-9999');
    // Assert
    expect(asked.status).toBe(202);
    expect(Object.keys(asked.body).sort()).toEqual(['detail', 'expiresInSeconds']);
    expect((await h.deps.localSms!.outbox()).length).toBe(before);
  });
});

describe('my cases (一户式查询)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-03T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  const submit = async (phone: string) =>
    (await h.call('POST', '/cases', { body: fullSubmission(EIA.code, ALL, { ...APPLICANT, phone }) })).body as {
      caseNo: string;
      queryCode: string;
    };
  const phoneCode = async (phone: string) => {
    const asked = await h.call('POST', '/my-cases/one-time-code', { body: { phone } });
    const sms = (await h.deps.localSms!.outbox()).filter((m) => m.kind === 'one-time-code' && m.to === phone).at(-1);
    return { asked, code: /验证码(\d{6})/.exec(sms?.text ?? '')?.[1] };
  };
  const list = (phone: string, code: string) =>
    h.call('POST', '/my-cases', { headers: { 'x-one-time-code': code }, body: { phone } });

  it('lists every case of the phone, newest first, masked, with each query code; once per code', async () => {
    // Arrange
    const phone = freshPhone();
    const a = await submit(phone);
    const b = await submit(phone);
    await submit(freshPhone());
    const { asked, code } = await phoneCode(phone);
    // Act
    const mine = await list(phone, code!);
    const again = await list(phone, code!);
    // Assert
    expect(asked.status).toBe(202);
    expect(mine.status).toBe(200);
    expect(mine.body.cases.map((c: any) => c.caseNo)).toEqual([b.caseNo, a.caseNo]);
    expect(mine.body.cases[0]).toEqual(
      expect.objectContaining({ itemCode: EIA.code, status: 'submitted', queryCode: b.queryCode }),
    );
    expect(mine.body.cases[0].applicant.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(mine.text).not.toContain(phone);
    expect(again.status).toBe(404);
  });

  it('answers a phone without cases as one with cases, and sends nothing', async () => {
    // Arrange
    const phone = freshPhone();
    const withCases = freshPhone();
    await submit(withCases);
    // Act
    const none = await phoneCode(phone);
    const some = await phoneCode(withCases);
    // Assert
    expect(none.asked.status).toBe(202);
    expect(none.asked.body).toEqual(some.asked.body);
    expect(none.code).toBeUndefined();
    expect(some.code).toMatch(/^\d{6}$/);
  });

  it('gives nothing for a wrong code, and locks the phone after 5: even the right code then gets 429', async () => {
    // Arrange
    const phone = freshPhone();
    const { caseNo } = await submit(phone);
    const { code } = await phoneCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    // Act
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await list(phone, wrong));
    const right = await list(phone, code!);
    // Assert
    expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    for (const r of replies) expect(r.text).not.toContain(caseNo);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a phone that is not a mainland mobile number with 400 naming phone', async () => {
    // Act
    const res = await h.call('POST', '/my-cases/one-time-code', { body: { phone: '12345' } });
    // Assert
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toEqual(['phone']);
  });
});

describe('public writes per client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-12-03T09:00:00+08:00', env: { CLIENT_WRITE_LIMIT: '3/1m' } });
  });
  afterAll(async () => h.stop());

  it('answers 429 with Retry-After once a client has made its writes of the window, and not for staff', async () => {
    // Arrange
    const body = fullSubmission(EIA.code, ALL);
    const token = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    // Act
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.call('POST', '/cases', { body })).status);
    const over = await h.call('POST', '/complaints', { body: {} });
    const staff = await h.call('POST', '/cases', { body, token });
    h.clock.advance(60_000);
    const later = await h.call('POST', '/cases', { body });
    // Assert
    expect(statuses).toEqual([201, 201, 201]);
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(staff.status).toBe(201);
    expect(later.status).toBe(201);
  });
});
