/**
 * SMS completion notices, SMS rating replies, online ratings, default ratings, bad-rating
 * follow-ups and complaints, over HTTP against dynalite with the local runtime: the outbox
 * (GET /_local/sms/outbox) is what the applicant's phone would show, and replies arrive at
 * POST /_local/sms/inbound as the SNS event two-way SMS delivers in AWS.
 * Each test uses its own fake phone number, so the "most recent decided case" of one test is
 * never another test's. Tests that travel in time come last: the clock only moves forward.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { toBusEvent } from '../../shared/adapters/events';
import { applyDefaultRatings, type DefaultRatingRun } from '../../shared/usecases/ratings';
import { afterDecision } from '../../shared/usecases/decisions';
import * as notifyFunction from '../../functions/notify/handler';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

describe('SMS notices, ratings, follow-ups and complaints', () => {
  let h: Harness;
  let window: string;
  let otherWindow: string;
  let supervisor: string;

  async function decidedCase(phone: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), { ...APPLICANT, phone }),
    });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: decision === 'approve' ? { decision } : { decision, reason: '项目选址位于饮用水水源保护区内' },
    });
    expect(decided.status).toBe(200);
    return caseNo;
  }

  async function outboxTo(phone: string): Promise<{ to: string; text: string; at: string; kind: string }[]> {
    const res = await h.call('GET', '/_local/sms/outbox');
    expect(res.status).toBe(200);
    return res.body.messages.filter((m: { to: string }) => m.to === phone);
  }

  const reply = (from: string, text: string, messageId?: string) =>
    h.call('POST', '/_local/sms/inbound', { body: { from, text, ...(messageId ? { messageId } : {}) } });
  const progress = async (caseNo: string, _phone: string) =>
    (await h.call('GET', `/cases/${caseNo}`, { headers: h.asApplicant(caseNo) })).body;
  const history = async (caseNo: string) =>
    (await h.call('GET', `/cases/${caseNo}/history`, { token: window })).body.history as {
      action: string;
      note?: string;
    }[];

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    otherWindow = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'HALL' });
  });
  afterAll(async () => h.stop());

  it('sends one completion SMS of one segment with the case number, and a reply "1" rates the case very satisfied by SMS', async () => {
    // Arrange
    const phone = '13800001234';
    const caseNo = await decidedCase(phone);
    // Act
    const sent = (await outboxTo(phone)).filter((m) => m.kind === 'completion');
    const replied = await reply(`+86${phone}`, '1');
    const view = await progress(caseNo, phone);
    // Assert
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      to: phone,
      kind: 'completion',
      at: expect.stringMatching(/^2026-09-28T/),
      text: expect.stringContaining(caseNo),
    });
    expect(sent[0].text.length).toBeLessThanOrEqual(70);
    expect(sent[0].text).toContain('准予许可');
    expect(replied.status).toBe(202);
    expect(replied.body.results).toEqual([{ outcome: 'rated', caseNo }]);
    expect(view.rating).toEqual({ level: 'very-satisfied', source: 'sms' });
  });

  it('tells a denied applicant the outcome in the completion SMS too', async () => {
    const phone = '13800002001';
    const caseNo = await decidedCase(phone, 'deny');
    const [sms] = (await outboxTo(phone)).filter((m) => m.kind === 'completion');
    expect(sms.text).toContain(caseNo);
    expect(sms.text).toContain('不予许可');
  });

  it('sends the completion SMS once when the notify function runs twice for the same event, and when the decision follow-up is retried', async () => {
    // Arrange
    const phone = '13800002002';
    const caseNo = await decidedCase(phone);
    await h.events.settled();
    const notify = notifyFunction.makeHandler(h.deps);
    const event = toBusEvent({ type: 'case.decided', caseNo }, 'evt-duplicate-1', new Date());
    // Act
    const first = await notify(event);
    const second = await notify(event);
    await afterDecision((await h.deps.cases.get(caseNo))!, h.deps);
    // Assert
    expect(first).toEqual({ type: 'case.decided', sms: 'duplicate' });
    expect(second).toEqual({ type: 'case.decided', sms: 'duplicate' });
    expect((await outboxTo(phone)).filter((m) => m.kind === 'completion')).toHaveLength(1);
  });

  it('counts the same reply delivered twice (same message id) once', async () => {
    // Arrange
    const phone = '13800002003';
    const caseNo = await decidedCase(phone);
    // Act
    const first = await reply(`+86${phone}`, '2', 'inbound-dup-1');
    const again = await reply(`+86${phone}`, '2', 'inbound-dup-1');
    // Assert
    expect(first.body.results).toEqual([{ outcome: 'rated', caseNo }]);
    expect(again.body.results).toEqual([{ outcome: 'duplicate' }]);
    expect(
      (await history(caseNo)).filter((e) => e.action === 'rate' || e.action === 'rating-not-counted'),
    ).toHaveLength(1);
  });

  it('answers unreadable replies with one clarification per case, then counts a readable one', async () => {
    // Arrange
    const phone = '13800002004';
    const caseNo = await decidedCase(phone);
    // Act
    const first = await reply(phone, '好的谢谢');
    const second = await reply(phone, '12');
    const third = await reply(phone, '２');
    // Assert
    expect(first.body.results).toEqual([{ outcome: 'clarification-requested', caseNo }]);
    expect(second.body.results).toEqual([{ outcome: 'clarification-requested', caseNo }]);
    const clarifications = (await outboxTo(phone)).filter((m) => m.kind === 'clarification');
    expect(clarifications).toHaveLength(1);
    expect(clarifications[0].text).toContain(caseNo);
    expect(clarifications[0].text.length).toBeLessThanOrEqual(70);
    expect(third.body.results).toEqual([{ outcome: 'rated', caseNo }]);
    expect((await progress(caseNo, phone)).rating).toEqual({ level: 'satisfied', source: 'sms' });
  });

  it('ignores a reply from a number with no case, and logs the number masked only', async () => {
    // Arrange
    const before = await h.allItems();
    // Act
    const res = await reply('+8613900009999', '1');
    // Assert
    expect(res.body.results).toEqual([{ outcome: 'unknown-number' }]);
    const after = await h.allItems();
    expect(after.filter((i) => i.entity === 'case')).toEqual(before.filter((i) => i.entity === 'case'));
    expect(h.logs.some((l) => l.includes('139****9999'))).toBe(true);
    expect(h.logs.some((l) => l.includes('13900009999'))).toBe(false);
  });

  it('rates a case once: a later reply is kept in the history, not counted', async () => {
    // Arrange
    const phone = '13800002005';
    const caseNo = await decidedCase(phone);
    await reply(phone, '非常满意');
    // Act
    const later = await reply(phone, '5');
    // Assert
    expect(later.body.results).toEqual([{ outcome: 'not-counted', caseNo }]);
    expect((await progress(caseNo, phone)).rating).toEqual({ level: 'very-satisfied', source: 'sms' });
    const entries = await history(caseNo);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['rate', 'rating-not-counted']));
    expect(entries.find((e) => e.action === 'rating-not-counted')!.note).toContain('very-dissatisfied');
    expect(
      (await h.call('GET', '/followups', { token: window })).body.followUps.some(
        (f: { caseNo: string }) => f.caseNo === caseNo,
      ),
    ).toBe(false);
  });

  it("rates the most recent decided case of the number, or the case a reply names when it is the sender's", async () => {
    // Arrange
    const phone = '13800002006';
    const older = await decidedCase(phone);
    const newer = await decidedCase(phone);
    // Act
    const plain = await reply(phone, '满意');
    const named = await reply(phone, `${older} 3`);
    const strangers = await reply('13900005678', `${older} 1`);
    // Assert
    expect(plain.body.results).toEqual([{ outcome: 'rated', caseNo: newer }]);
    expect(named.body.results).toEqual([{ outcome: 'rated', caseNo: older }]);
    expect(strangers.body.results).toEqual([{ outcome: 'unknown-number' }]);
    expect((await progress(older, phone)).rating).toEqual({ level: 'fairly-satisfied', source: 'sms' });
  });

  it('rates online with the query code: 404 with a wrong code, 409 once rated', async () => {
    // Arrange
    const phone = '13800002007';
    const caseNo = await decidedCase(phone);
    // Act
    const wrong = await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: { 'x-query-code': 'WRONGCODE2' },
      body: { level: 'satisfied' },
    });
    const rated = await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'satisfied' },
    });
    const again = await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'very-satisfied' },
    });
    const badLevel = await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'great' },
    });
    // Assert
    expect(wrong.status).toBe(404);
    expect(rated.status).toBe(200);
    expect(rated.body.rating).toEqual({ level: 'satisfied', source: 'online' });
    expect(again.status).toBe(409);
    expect(badLevel.status).toBe(400);
    expect((await progress(caseNo, phone)).rating).toEqual({ level: 'satisfied', source: 'online' });
  });

  it('refuses to rate a case that is not decided yet', async () => {
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), { ...APPLICANT, phone: '13800002008' }),
    });
    const res = await h.call('POST', `/cases/${submitted.body.caseNo}/rating`, {
      headers: h.asApplicant(submitted.body.caseNo),
      body: { level: 'satisfied' },
    });
    expect(res.status).toBe(409);
  });

  it("follows a bad rating through verification, a fix and the applicant's rating of the fix to closure", async () => {
    // Arrange
    const phone = '13800002009';
    const caseNo = await decidedCase(phone);
    const id = `FU-${caseNo}`;
    // Act
    const rated = await reply(phone, '不满意，等太久了');
    const listed = await h.call('GET', '/followups', { token: window });
    const notice = (await outboxTo(phone)).filter((m) => m.kind === 'followup');
    const strangerAct = await h.call('POST', `/followups/${id}/actions`, {
      token: otherWindow,
      body: { type: 'verify', note: '回访' },
    });
    const tooEarly = await h.call('POST', `/followups/${id}/actions`, {
      token: window,
      body: { type: 'close', note: '结束' },
    });
    const verified = await h.call('POST', `/followups/${id}/actions`, {
      token: window,
      body: { type: 'verify', note: '已电话回访，申请人反映等候时间长' },
    });
    const fixed = await h.call('POST', `/followups/${id}/actions`, {
      token: window,
      body: { type: 'fix', note: '增开窗口，推行预约' },
    });
    const wrongPhone = await h.call('POST', `/followups/${id}/fix-rating`, {
      headers: { 'x-query-code': 'WRONGCODE2' },
      body: { level: 'satisfied' },
    });
    const fixRated = await h.call('POST', `/followups/${id}/fix-rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'satisfied' },
    });
    const after = await h.call('GET', '/followups', { token: supervisor });
    // Assert
    expect(rated.body.results).toEqual([{ outcome: 'rated', caseNo }]);
    const open = listed.body.followUps.find((f: { id: string }) => f.id === id);
    // 15 working days from Monday 2026-09-28, skipping the National Day week and counting the make-up Saturday 10-10.
    expect(open).toEqual(
      expect.objectContaining({
        caseNo,
        department: 'ENV',
        level: 'dissatisfied',
        state: 'open',
        due: '2026-10-23',
        allowed: ['verify', 'appeal'],
      }),
    );
    expect(notice).toHaveLength(1);
    expect(notice[0].text.length).toBeLessThanOrEqual(70);
    expect(strangerAct.status).toBe(403);
    expect(tooEarly.status).toBe(409);
    expect(verified.body.state).toBe('verified');
    expect(fixed.body.state).toBe('fixed');
    expect(wrongPhone.status).toBe(404);
    expect(fixRated.status).toBe(200);
    expect(fixRated.body).toEqual({ id, caseNo, state: 'closed', fixRating: 'satisfied' });
    expect(after.body.followUps.some((f: { id: string }) => f.id === id)).toBe(false);
  });

  it('voids a bad rating on appeal so that it no longer counts, and only a supervisor rules', async () => {
    // Arrange
    const phone = '13800002010';
    const caseNo = await decidedCase(phone);
    const id = `FU-${caseNo}`;
    await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'very-dissatisfied' },
    });
    // Act
    const appealed = await h.call('POST', `/followups/${id}/actions`, {
      token: window,
      body: { type: 'appeal', reason: '申请人事后承认为误操作，与办理无关' },
    });
    const selfRuling = await h.call('POST', `/followups/${id}/actions`, {
      token: window,
      body: { type: 'rule-appeal', ruling: 'void', note: '自行裁定' },
    });
    const ruled = await h.call('POST', `/followups/${id}/actions`, {
      token: supervisor,
      body: { type: 'rule-appeal', ruling: 'void', note: '经核实为恶意差评' },
    });
    const view = await progress(caseNo, phone);
    // Assert
    expect(appealed.body.state).toBe('appealed');
    expect(selfRuling.status).toBe(403);
    expect(ruled.body.state).toBe('voided');
    expect(view.rating).toEqual({ level: 'very-dissatisfied', source: 'online', voided: true });
    expect((await history(caseNo)).some((e) => e.action === 'void-rating')).toBe(true);
  });

  it('takes a complaint to its answer by SMS, with the complainant masked in every listing', async () => {
    // Arrange
    const contact = '13900005678';
    const caseNo = await decidedCase('13800002011');
    // Act
    const made = await h.call('POST', '/complaints', {
      body: { who: '李四', contact, caseNo, text: '窗口工作人员态度生硬，多次往返' },
    });
    const id = made.body.id as string;
    const listed = await h.call('GET', '/complaints', { token: supervisor });
    const notAllowed = await h.call('GET', '/complaints', { token: window });
    const transferred = await h.call('POST', `/complaints/${id}/actions`, {
      token: supervisor,
      body: { type: 'transfer', department: 'ENV', note: '请环保局核查' },
    });
    const wrongDept = await h.call('POST', `/complaints/${id}/actions`, {
      token: otherWindow,
      body: { type: 'answer', answer: '已处理' },
    });
    const answered = await h.call('POST', `/complaints/${id}/actions`, {
      token: window,
      body: { type: 'answer', answer: '经核查情况属实，已对相关人员批评教育并优化办理流程，感谢监督。' },
    });
    const again = await h.call('POST', `/complaints/${id}/actions`, {
      token: supervisor,
      body: { type: 'answer', answer: '再次答复' },
    });
    const sms = (await outboxTo(contact)).filter((m) => m.kind === 'complaint-answer');
    const after = await h.call('GET', '/complaints', { token: supervisor });
    // Assert
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.stringMatching(/^TS-20260928-\d{4}$/),
      state: 'received',
      receivedAt: expect.any(String),
      due: '2026-10-23',
      contact: '139****5678',
    });
    const open = listed.body.complaints.find((c: { id: string }) => c.id === id);
    expect(open).toEqual(
      expect.objectContaining({
        who: '李*',
        contact: '139****5678',
        caseNo,
        department: 'ENV',
        due: '2026-10-23',
        state: 'received',
      }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(contact);
    expect(notAllowed.status).toBe(403);
    expect(transferred.body.state).toBe('transferred');
    expect(wrongDept.status).toBe(403);
    expect(answered.body.state).toBe('answered');
    expect(again.status).toBe(409);
    expect(sms).toHaveLength(1);
    expect(sms[0].text).toContain(id);
    expect(sms[0].text.length).toBeLessThanOrEqual(70);
    expect(after.body.complaints.some((c: { id: string }) => c.id === id)).toBe(false);
  });

  it('refuses a complaint without a mobile number to answer to, naming the field', async () => {
    const res = await h.call('POST', '/complaints', { body: { who: '李四', contact: '12345', text: '态度不好' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('contact');
  });

  it('takes no rating within 7 calendar days of the decision as fairly satisfied, recorded as a default, by the scheduled job', async () => {
    // Arrange: decided on 2026-09-28; the rating period runs to 10-05, the default applies from 10-06.
    const phone = '13800002012';
    const caseNo = await decidedCase(phone);
    const rated = await decidedCase('13800002013');
    await reply('13800002013', '1');
    // Act
    h.clock.set('2026-10-05T23:00:00+08:00');
    const onLastDay = (await h.runNow('default-ratings')).result as DefaultRatingRun;
    const stillOpen = await progress(caseNo, phone);
    h.clock.set('2026-10-06T00:30:00+08:00');
    const nextDay = (await h.runNow('default-ratings')).result as DefaultRatingRun;
    const rerun = await applyDefaultRatings(h.deps);
    const late = await reply(phone, '5');
    // Assert
    expect(onLastDay.defaulted).not.toContain(caseNo);
    expect(stillOpen.rating).toBeUndefined();
    expect(nextDay.defaulted).toContain(caseNo);
    expect(nextDay.defaulted).not.toContain(rated);
    expect(rerun.defaulted).toEqual([]);
    expect((await progress(caseNo, phone)).rating).toEqual({ level: 'fairly-satisfied', source: 'default' });
    expect((await progress(rated, '13800002013')).rating).toEqual({ level: 'very-satisfied', source: 'sms' });
    expect(late.body.results).toEqual([{ outcome: 'not-counted', caseNo }]);
  });
});
