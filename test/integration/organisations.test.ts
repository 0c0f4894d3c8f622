/**
 * Applicants as people, organisations and agents (issue 10, items 1 and 8) over HTTP against
 * dynalite with the local runtime: an organisation applies with its 统一社会信用代码 and an agent,
 * the agent's phone gets the SMS and its reply rates the case, every view masks both, walk-in
 * registration takes the same shapes, and free text is masked in every view.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';

const catalog = loadDefaultCatalog();
const MATERIALS = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

/** Fake data, valid in form: a real-format code whose check character is right, and an agent. */
const COMPANY = {
  name: '贵州绿源环保科技有限公司',
  idType: 'uscc',
  idNumber: '91350100M000100Y43',
  legalRepresentative: '王五',
  phone: '13800002001',
};
const AGENT = { name: '李四', idType: 'resident-id', idNumber: '320106198506152349', phone: '13900002002' };

describe('organisations and agents over HTTP', () => {
  let h: Harness;
  let window: string;
  let supervisor: string;

  const submit = (body: Record<string, unknown>, token?: string) =>
    h.call('POST', '/cases', {
      body: { itemCode: 'ENV-EIA-FORM', materials: MATERIALS, delivery: 'pickup', ...body },
      token,
    });
  const outboxTo = async (phone: string) =>
    ((await h.call('GET', '/_local/sms/outbox')).body.messages as { to: string; kind: string; text: string }[]).filter(
      (m) => m.to === phone,
    );

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'HALL' });
  });
  afterAll(async () => h.stop());

  it('takes an organisation applying online with an agent, and its receipt carries the query code', async () => {
    // Act
    const res = await submit({ applicant: { ...COMPANY, idNumber: '9135 0100 m000 100y43' }, agent: AGENT });
    const view = await h.call('GET', `/cases/${res.body.caseNo}`, { headers: h.asApplicant(res.body.caseNo) });

    // Assert
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ status: 'submitted', queryCode: expect.stringMatching(/^[2-9A-Z]{10}$/) }),
    );
    expect(view.status).toBe(200);
    expect(view.body.applicant).toEqual({
      name: '贵州绿源环保科技有限公司',
      idType: 'uscc',
      idNumber: '913***********0Y43',
      legalRepresentative: '王*',
      phone: '138****2001',
    });
    expect(view.body.agent).toEqual({
      name: '李*',
      idType: 'resident-id',
      idNumber: '320***********2349',
      phone: '139****2002',
    });
  });

  it('refuses an organisation whose check character is wrong with problem+json naming applicant.idNumber, and writes nothing', async () => {
    // Arrange
    const before = (await h.allItems()).length;

    // Act
    const res = await submit({ applicant: { ...COMPANY, idNumber: '91350100M000100Y44' } });

    // Assert
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      {
        field: 'applicant.idNumber',
        message: 'the check character is 4 but the first 17 characters give 3: a character is mistyped',
      },
    ]);
    expect((await h.allItems()).length).toBe(before);
  });

  it('names every bad field of an organisation without its legal representative and of a bad agent at once', async () => {
    // Act
    const { legalRepresentative: _omitted, ...withoutRepresentative } = COMPANY;
    const res = await submit({
      applicant: withoutRepresentative,
      agent: { ...AGENT, idType: 'passport', idNumber: 'E1', phone: '12345' },
    });

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'agent.idNumber',
      'agent.phone',
      'applicant.legalRepresentative',
    ]);
  });

  it.each([
    ['passport', 'E12345678'],
    ['hk-macao-permit', 'H12345678'],
    ['taiwan-permit', '12345678'],
    ['foreign-permanent-residence', 'USA110105001999'],
    ['foreign-permanent-residence', '911840198001010013'],
  ])('takes a person applying online with a %s (%s)', async (idType, idNumber) => {
    // Act
    const res = await submit({ applicant: { name: 'Anna Li', idType, idNumber, phone: '13800002003' } });
    const view = await h.call('GET', `/cases/${res.body.caseNo}`, { headers: h.asApplicant(res.body.caseNo) });

    // Assert
    expect(res.status).toBe(201);
    expect(view.body.applicant).toEqual(
      expect.objectContaining({ name: 'A***', idType, idNumber: expect.stringContaining('*') }),
    );
    expect(JSON.stringify(view.body)).not.toContain(idNumber);
  });

  it('lets the window register a walk-in organisation with an agent, and a walk-in person with a Hong Kong and Macao permit', async () => {
    // Act
    const company = await submit({ applicant: COMPANY, agent: AGENT }, window);
    const person = await submit(
      { applicant: { name: '陈大文', idType: 'hk-macao-permit', idNumber: 'H1234567801', phone: '13800002004' } },
      window,
    );
    const staffView = await h.call('GET', `/cases/${company.body.caseNo}`, { token: window });

    // Assert
    expect(company.status).toBe(201);
    expect(person.status).toBe(201);
    expect(staffView.body.channel).toBe('window');
    expect(staffView.body.applicant.idNumber).toBe('913***********0Y43');
    expect(staffView.body.agent.phone).toBe('139****2002');
  });

  it("sends the decision SMS to the agent's phone, not the company's, and the agent's reply rates the case", async () => {
    // Arrange
    const agent = { ...AGENT, phone: '13900002005' };
    const company = { ...COMPANY, phone: '13800002005' };
    const submitted = await submit({ applicant: company, agent });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });

    // Act
    const toAgent = await outboxTo(agent.phone);
    const toCompany = await outboxTo(company.phone);
    const replied = await h.call('POST', '/_local/sms/inbound', { body: { from: `+86${agent.phone}`, text: '1' } });
    const view = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });

    // Assert
    expect(decided.status).toBe(200);
    expect(toAgent.map((m) => m.kind)).toContain('completion');
    expect(toAgent.find((m) => m.kind === 'completion')!.text).toContain(caseNo);
    expect(toCompany).toEqual([]);
    expect(replied.status).toBe(202);
    expect(view.body.rating).toEqual({ level: 'very-satisfied', source: 'sms' });
  });

  it("counts an organisation's case in the monthly report like any other", async () => {
    // Arrange
    const before = (await h.call('GET', '/reports/2026-09', { token: supervisor })).body.departments.find(
      (d: { department: string }) => d.department === 'ENV',
    ).received as number;

    // Act
    await submit({ applicant: { ...COMPANY, phone: '13800002006' } });
    const after = (await h.call('GET', '/reports/2026-09', { token: supervisor })).body.departments.find(
      (d: { department: string }) => d.department === 'ENV',
    ).received as number;

    // Assert
    expect(after).toBe(before + 1);
  });

  it('masks phone and ID numbers in a return notice, the history, a denial reason, a complaint and an inquiry', async () => {
    // Arrange
    const submitted = await submit({ applicant: { ...COMPANY, phone: '13800002007' }, agent: AGENT });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });

    // Act
    const returned = await h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: {
        problems: [{ code: 'APPLICATION', note: '请经办人（电话13900002002，身份证320106198506152349）补盖公章' }],
      },
    });
    const progress = await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) });
    const history = await h.call('GET', `/cases/${caseNo}/history`, { token: window });
    const complaint = await h.call('POST', '/complaints', {
      body: {
        who: '王五',
        contact: '13800002007',
        caseNo,
        text: '企业91350100M000100Y43的经办人13900002002多次被要求补件',
      },
    });
    const complaints = await h.call('GET', '/complaints', { token: supervisor });
    const inquiry = await h.call('POST', '/inquiries', {
      token: window,
      body: { matter: '身份证320106198506152349的申请人咨询进度', contact: {}, outcome: 'answered' },
    });

    // Assert
    const masked = '请经办人（电话139****2002，身份证320***********2349）补盖公章';
    expect(returned.body.notice.problems[0].note).toBe(masked);
    expect(progress.body.notice.problems[0].note).toBe(masked);
    // The problem's text is stored once, on the notice; the history names the return and never a clear number.
    expect(history.body.history.some((e: { action: string }) => e.action === 'return')).toBe(true);
    expect(JSON.stringify(history.body)).not.toMatch(/13900002002|320106198506152349/);
    expect(complaint.status).toBe(201);
    expect(complaints.body.complaints.find((c: { caseNo?: string }) => c.caseNo === caseNo).text).toBe(
      '企业913***********0Y43的经办人139****2002多次被要求补件',
    );
    expect(inquiry.body.matter).toBe('身份证320***********2349的申请人咨询进度');
    const everything = JSON.stringify([returned.body, progress.body, history.body, complaints.body, inquiry.body]);
    expect(everything).not.toMatch(/13900002002|320106198506152349|91350100M000100Y43/);
  });

  it('masks a denial reason in the decision, the case views and the filed denials', async () => {
    // Arrange
    const submitted = await submit({ applicant: { ...COMPANY, phone: '13800002008' } });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });

    // Act
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: { decision: 'deny', reason: '法定代表人王五（13800002008）未到场核验' },
    });
    const staffView = await h.call('GET', `/cases/${caseNo}`, { token: window });
    const denials = await h.call('GET', '/supervision/denials?month=2026-09', { token: supervisor });

    // Assert
    const masked = '法定代表人王五（138****2008）未到场核验';
    expect(decided.body.decision.reason).toBe(masked);
    expect(staffView.body.decision.reason).toBe(masked);
    expect(denials.body.denials.find((d: { caseNo: string }) => d.caseNo === caseNo).reason).toBe(masked);
  });

  it("never writes the organisation's code, the agent's ID or either phone to the logs in clear", () => {
    // Assert
    const logs = h.logs.join('\n');
    expect(logs).not.toMatch(/91350100M000100Y43|320106198506152349|1390000200\d|1380000200\d/);
  });
});
