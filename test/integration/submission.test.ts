import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const EIA_FORM = catalog.item('ENV-EIA-FORM')!;
const allMaterials = EIA_FORM.materials.map((m) => m.code);

describe('submitting an application online', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('records a complete submission as submitted with a case number of department, China date and sequence', async () => {
    // Act
    const res = await h.call('POST', '/cases', { body: fullSubmission(EIA_FORM.code, allMaterials) });
    // Assert
    expect(res.status).toBe(201);
    expect(res.body.caseNo).toMatch(/^ENV-20260928-\d{4}$/);
    expect(res.body.status).toBe('submitted');
    expect(res.body.notice).toBeUndefined();
  });

  it('returns every missing material in one notice and marks the case supplement-required', async () => {
    // Arrange
    const supplied = [allMaterials[0]];
    const expectedMissing = EIA_FORM.materials.slice(1).map((m) => ({ code: m.code, name: m.name }));
    // Act
    const res = await h.call('POST', '/cases', { body: fullSubmission(EIA_FORM.code, supplied) });
    // Assert
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('supplement-required');
    expect(res.body.notice.missing).toEqual(expectedMissing);
  });

  it('gives a retry with the same Idempotency-Key the same case, never a second one', async () => {
    // Arrange
    const body = fullSubmission(EIA_FORM.code, allMaterials);
    const before = (await h.allItems()).filter((i) => i.entity === 'case').length;
    // Act
    const replies = await Promise.all(
      [1, 2, 3, 4].map(() => h.call('POST', '/cases', { body, headers: { 'idempotency-key': 'retry-1' } })),
    );
    const again = await h.call('POST', '/cases', { body, headers: { 'idempotency-key': 'retry-1' } });
    // Assert
    const numbers = new Set([...replies, again].map((r) => r.body.caseNo));
    expect(numbers.size).toBe(1);
    expect([...replies, again].every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(again.status).toBe(200);
    const after = (await h.allItems()).filter((i) => i.entity === 'case').length;
    expect(after - before).toBe(1);
  });

  it('refuses a different request under an Idempotency-Key already used', async () => {
    // Arrange
    await h.call('POST', '/cases', {
      body: fullSubmission(EIA_FORM.code, allMaterials),
      headers: { 'idempotency-key': 'reuse-1' },
    });
    // Act
    const res = await h.call('POST', '/cases', {
      body: fullSubmission(EIA_FORM.code, [allMaterials[0]]),
      headers: { 'idempotency-key': 'reuse-1' },
    });
    // Assert
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('gives distinct case numbers to concurrent submissions', async () => {
    // Act
    const replies = await Promise.all(
      Array.from({ length: 40 }, () => h.call('POST', '/cases', { body: fullSubmission(EIA_FORM.code, allMaterials) })),
    );
    // Assert
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.body.caseNo)).size).toBe(40);
  });

  describe('bad input gets 400 problem+json naming each field, and nothing is written', () => {
    const cases: [string, { body?: unknown; raw?: string }, string[]][] = [
      ['bad JSON', { raw: '{"itemCode": "ENV-EIA-FORM",' }, ['body']],
      ['an unknown item', { body: fullSubmission('NO-SUCH-ITEM', []) }, ['itemCode']],
      [
        'an invalid mobile number',
        { body: fullSubmission(EIA_FORM.code, allMaterials, { ...APPLICANT, phone: '12800001234' }) },
        ['applicant.phone'],
      ],
      [
        'a wrong ID check digit',
        { body: fullSubmission(EIA_FORM.code, allMaterials, { ...APPLICANT, idNumber: '110105194912310021' }) },
        ['applicant.idNumber'],
      ],
      ['missing fields', { body: { itemCode: EIA_FORM.code } }, ['applicant', 'materials', 'delivery']],
      [
        'an oversized body',
        { raw: JSON.stringify({ ...fullSubmission(EIA_FORM.code, allMaterials), pad: 'x'.repeat(70_000) }) },
        ['body'],
      ],
      [
        'a material the item does not ask for',
        { body: fullSubmission(EIA_FORM.code, [...allMaterials, 'NOT-A-MATERIAL']) },
        [`materials[${allMaterials.length}]`],
      ],
      [
        'several bad fields at once',
        {
          body: {
            ...fullSubmission(EIA_FORM.code, allMaterials, { ...APPLICANT, name: '', phone: 'abc' }),
            delivery: 'fax',
          },
        },
        ['applicant.name', 'applicant.phone', 'delivery'],
      ],
    ];

    it.each(cases)('%s', async (_name, request, fields) => {
      // Arrange: the SMS of earlier submissions delivered first (the bus runs in the background)
      await h.events.settled();
      const before = await h.allItems();
      // Act
      const res = await h.call('POST', '/cases', request);
      // Assert
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([...fields].sort());
      expect(res.body.errors.every((e: { message: string }) => e.message.length > 0)).toBe(true);
      expect(await h.allItems()).toEqual(before);
    });
  });
});

describe("an applicant looking up a case's progress", () => {
  let h: Harness;
  let caseNo: string;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    caseNo = (await h.call('POST', '/cases', { body: fullSubmission(EIA_FORM.code, [allMaterials[0]]) })).body.caseNo;
  });
  afterAll(async () => h.stop());

  it('shows status, item, received time and the notice, with name, ID and phone masked', async () => {
    // Act
    const res = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        caseNo,
        itemCode: EIA_FORM.code,
        status: 'supplement-required',
        receivedAt: expect.stringMatching(/^2026-09-28T09:00:0\d\.\d{3}\+08:00$/),
      }),
    );
    expect(res.body.notice.missing).toHaveLength(EIA_FORM.materials.length - 1);
    expect(res.body.applicant).toEqual({
      name: '张*',
      idType: 'resident-id',
      idNumber: '110***********002X',
      phone: '138****1234',
    });
    expect(res.text).not.toContain(APPLICANT.idNumber);
    expect(res.text).not.toContain(APPLICANT.phone);
    expect(res.text).not.toContain('张三');
  });

  it.each([
    ['a wrong query code', (no: string) => `/cases/${no}`, 'WRONGCODE2'],
    ['no query code', (no: string) => `/cases/${no}`, undefined],
    ['the phone digits that once opened it', (no: string) => `/cases/${no}?phone=1234`, '1234'],
    ['an unknown case number', () => '/cases/ENV-20260928-9999', 'use-the-real-code'],
  ])('answers %s with the same 404', async (_name, path, code) => {
    // Act
    const real = h.asApplicant(caseNo)['x-query-code'];
    const headers: Record<string, string> = code ? { 'x-query-code': code === 'use-the-real-code' ? real : code } : {};
    const res = await h.call('GET', path(caseNo), { headers });
    // Assert
    expect(res.status).toBe(404);
    expect(res.body.detail).toMatch(/with that query code was not found/);
  });

  it('never writes a phone number or ID number to the logs', async () => {
    // Arrange
    await h.call('POST', '/cases', { body: fullSubmission(EIA_FORM.code, allMaterials) });
    await h.call('POST', '/cases', {
      body: fullSubmission(EIA_FORM.code, allMaterials, { ...APPLICANT, phone: 'bad' }),
    });
    // Assert
    const logs = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(APPLICANT.phone);
    expect(logs).not.toContain(APPLICANT.idNumber);
  });
});

describe('the service guide', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  it('lists every item with limits, materials, departments and stages', async () => {
    // Act
    const res = await h.call('GET', '/items');
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(catalog.items().length);
    const joint = res.body.items.find((i: { code: string }) => i.code === 'MKT-ENTERPRISE-JOINT');
    expect(joint).toEqual(
      expect.objectContaining({
        kind: 'joint',
        statutoryLimit: { value: 32, unit: 'working-days' },
        committedLimit: { value: 8, unit: 'working-days' },
      }),
    );
    expect(joint.departments.co).toHaveLength(4);
    expect(joint.materials[0]).toEqual(
      expect.objectContaining({
        code: expect.any(String),
        name: expect.any(String),
        form: expect.any(String),
        count: expect.any(Number),
      }),
    );
  });

  it('answers an unknown item with 404 problem+json', async () => {
    const res = await h.call('GET', '/items/NOPE-NOPE');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('describes the API in OpenAPI from the same schemas that validate requests', async () => {
    // Act
    const res = await h.call('GET', '/openapi.json');
    // Assert
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const submit = res.body.paths['/cases'].post;
    const schema = submit.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['itemCode', 'applicant', 'materials', 'delivery']));
    expect(schema.properties.delivery.enum).toEqual(['pickup', 'post', 'electronic']);
    expect(res.body.paths['/cases/{caseNo}'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'caseNo',
      'X-Query-Code',
      'X-One-Time-Code',
    ]);
  });
});
