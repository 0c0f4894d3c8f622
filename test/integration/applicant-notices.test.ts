/**
 * The applicant told at every step (三告知), by SMS over the local runtime: the receipt with the
 * query code (online and walk-in), the acceptance with the committed deadline (by staff and by
 * art. 32), each notice to supplement with how many materials and by when, a deemed withdrawal
 * (视为撤回) by the daily job, and the completion notice. The outbox (GET /_local/sms/outbox) is
 * what the phone shows; the notify function is also run again on the same event, as EventBridge
 * may deliver it twice. Each test has its own phone number. The clock only moves forward, so the
 * tests that travel in time come last.
 *
 * Golden dates: a notice given on Monday 2026-09-28 for ENV-EIA-FORM (supplementWorkingDays 15)
 * must be answered by Friday 2026-10-23 (09-29, 09-30, the National Day week off, 10-08, 10-09,
 * the make-up Saturday 10-10, then 10-12 … 10-23); from Saturday 10-24 the case is withdrawn.
 */
import { toBusEvent, type DomainEvent } from '../../shared/adapters/events';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { formatQueryCode } from '../../shared/domain/query-code';
import { SMS_SEGMENT_CHARS, smsSegments } from '../../shared/domain/sms-templates';
import * as notifyFunction from '../../functions/notify/handler';
import type { DeemWithdrawalResult } from '../../shared/usecases/deem-withdrawal';
import type { DeemResult } from '../../shared/usecases/deem-acceptance';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const ITEM = 'ENV-EIA-FORM';
const all = catalog
  .item(ITEM)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

interface Sent {
  to: string;
  text: string;
  kind: string;
  key: string;
}

describe('the applicant told at every step by SMS', () => {
  let h: Harness;
  let window: string;
  let supervisor: string;
  let deliveries = 0;

  const submit = async (phone: string, materials = all, token?: string) => {
    const res = await h.call('POST', '/cases', {
      body: fullSubmission(ITEM, materials, { ...APPLICANT, phone }),
      ...(token ? { token } : {}),
    });
    expect(res.status).toBe(201);
    return { caseNo: res.body.caseNo as string, queryCode: res.body.queryCode as string };
  };
  const returnCase = (caseNo: string, codes: string[]) =>
    h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: { problems: codes.map((code) => ({ code, note: '材料不符合要求' })) },
    });
  const outboxTo = async (phone: string): Promise<Sent[]> => {
    await h.events.settled();
    return ((await h.deps.localSms!.outbox()) as Sent[]).filter((m) => m.to === phone);
  };
  /** The notify function run on an event once more, as a second delivery of EventBridge would. */
  const deliverAgain = async (event: DomainEvent) => {
    await h.events.settled();
    return notifyFunction.makeHandler(h.deps)(toBusEvent(event, `evt-again-${++deliveries}`, h.clock.now()));
  };
  const staffView = async (caseNo: string) => (await h.call('GET', `/cases/${caseNo}`, { token: window })).body;
  const expectOneSegment = (messages: Sent[]) => {
    for (const m of messages) {
      expect({ kind: m.kind, length: m.text.length <= SMS_SEGMENT_CHARS }).toEqual({ kind: m.kind, length: true });
      expect(smsSegments(m.text)).toBe(1);
    }
  };

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'HALL' });
  });
  afterAll(async () => h.stop());

  it('sends the receipt with the case number and the query code once for an online submission, even when the event is delivered twice', async () => {
    // Arrange
    const phone = '13700000001';
    const { caseNo, queryCode } = await submit(phone);
    // Act
    const again = await deliverAgain({ type: 'case.received', caseNo });
    const sent = await outboxTo(phone);
    // Assert
    expect(again).toEqual({ type: 'case.received', sms: 'duplicate' });
    expect(sent.map((m) => m.kind)).toEqual(['receipt']);
    expect(sent[0].key).toBe(`receipt#${caseNo}`);
    expect(sent[0].text).toContain(caseNo);
    expect(sent[0].text).toContain(formatQueryCode(queryCode));
    expectOneSegment(sent);
  });

  it('sends the receipt with the query code for a walk-in application registered at the window', async () => {
    // Arrange
    const phone = '13700000002';
    // Act
    const { caseNo, queryCode } = await submit(phone, all, window);
    const sent = await outboxTo(phone);
    // Assert
    expect(sent.map((m) => m.kind)).toEqual(['receipt']);
    expect(sent[0].text).toBe(
      `您的办件${caseNo}已收件，查询码${formatQueryCode(queryCode)}，请凭办件号和查询码查询进度。`,
    );
  });

  it('follows the receipt of an incomplete application with the notice to supplement: how many materials and by when', async () => {
    // Arrange
    const phone = '13700000003';
    // Act
    const { caseNo } = await submit(phone, all.slice(0, 2));
    const again = await deliverAgain({ type: 'case.received', caseNo });
    const sent = await outboxTo(phone);
    const view = await staffView(caseNo);
    // Assert
    expect(again.sms).toBe('duplicate');
    expect(view.notice.supplementDue).toBe('2026-10-23');
    expect(sent.map((m) => m.kind)).toEqual(['receipt', 'supplement-notice']);
    expect(sent[1].text).toBe(
      `您的办件${caseNo}需补正${all.length - 2}项材料，详见进度查询，请于2026-10-23前补正，逾期视为撤回。`,
    );
    expectOneSegment(sent);
  });

  it('tells the acceptance with the committed deadline once, even when the event is delivered twice', async () => {
    // Arrange
    const phone = '13700000004';
    const { caseNo } = await submit(phone);
    // Act
    const accepted = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const again = await deliverAgain({ type: 'case.accepted', caseNo });
    const sent = await outboxTo(phone);
    const { deadlines } = await staffView(caseNo);
    // Assert
    expect(accepted.status).toBe(200);
    expect(again.sms).toBe('duplicate');
    expect(sent.map((m) => m.kind)).toEqual(['receipt', 'acceptance']);
    expect(deadlines.committed).toBe('2026-10-13');
    expect(sent[1].text).toBe(`您的办件${caseNo}已受理，承诺2026-10-13前办结，可凭查询码查询进度。`);
    expectOneSegment(sent);
  });

  it('sends one notice per return for supplement, with the count and the last day, however often each is delivered', async () => {
    // Arrange
    const phone = '13700000005';
    const { caseNo } = await submit(phone);
    // Act: returned with two problems, supplied, then returned again with one
    const first = await returnCase(caseNo, ['APPLICATION', 'EIA-REPORT-FORM']);
    const againFirst = await deliverAgain({ type: 'case.returned', caseNo, at: first.body.notice.issuedAt });
    await h.call('POST', `/cases/${caseNo}/supplements`, {
      headers: h.asApplicant(caseNo),
      body: { materials: ['APPLICATION', 'EIA-REPORT-FORM'] },
    });
    const second = await returnCase(caseNo, ['PROJECT-APPROVAL']);
    const againSecond = await deliverAgain({ type: 'case.returned', caseNo, at: second.body.notice.issuedAt });
    const sent = await outboxTo(phone);
    // Assert
    expect(first.status).toBe(200);
    expect(first.body.notice.supplementDue).toBe('2026-10-23');
    expect([againFirst.sms, againSecond.sms]).toEqual(['duplicate', 'duplicate']);
    const notices = sent.filter((m) => m.kind === 'supplement-notice');
    expect(notices.map((m) => m.text)).toEqual([
      `您的办件${caseNo}需补正2项材料，详见进度查询，请于2026-10-23前补正，逾期视为撤回。`,
      `您的办件${caseNo}需补正1项材料，详见进度查询，请于2026-10-23前补正，逾期视为撤回。`,
    ]);
    expectOneSegment(sent);
  });

  it('tells each step of a case once, from receipt to decision: receipt, acceptance, completion', async () => {
    // Arrange
    const phone = '13700000006';
    const { caseNo } = await submit(phone);
    // Act
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    for (const type of ['case.received', 'case.accepted', 'case.decided'] as const)
      await deliverAgain({ type, caseNo });
    const sent = await outboxTo(phone);
    // Assert
    expect(sent.map((m) => m.kind)).toEqual(['receipt', 'acceptance', 'completion']);
    expectOneSegment(sent);
  });

  describe('a return not supplemented in time, and art. 32 (the clock moves forward)', () => {
    const waitingPhone = '13700000011';
    const suppliedPhone = '13700000012';
    const silentPhone = '13700000013';
    let waiting: string;
    let supplied: string;
    let silent: string;

    beforeAll(async () => {
      // Arrange: on Monday 2026-09-28 two cases are returned and one left without a word
      h.clock.set('2026-09-28T15:00:00+08:00');
      waiting = (await submit(waitingPhone)).caseNo;
      supplied = (await submit(suppliedPhone)).caseNo;
      silent = (await submit(silentPhone)).caseNo;
      await returnCase(waiting, ['APPLICATION']);
      await returnCase(supplied, ['APPLICATION']);
      // The second is supplied on the last day
      h.clock.set('2026-10-23T16:00:00+08:00');
      await h.call('POST', `/cases/${supplied}/supplements`, {
        headers: h.asApplicant(supplied),
        body: { materials: ['APPLICATION'] },
      });
    });

    it('withdraws nothing on the last day to supplement itself', async () => {
      // Arrange
      h.clock.set('2026-10-23T23:30:00+08:00');
      // Act
      const run = (await h.runNow('deem-withdrawal')) as { result: DeemWithdrawalResult };
      // Assert
      expect(run.result.withdrawn).not.toContain(waiting);
      expect((await staffView(waiting)).status).toBe('supplement-required');
    });

    it('deems the case withdrawn the day after, tells the applicant once, says why in the history and reports it as withdrawn', async () => {
      // Arrange
      const reportBefore = await h.call('GET', '/reports?from=2026-09-01&to=2026-10-24', { token: supervisor });
      const envBefore = reportBefore.body.departments.find((d: any) => d.department === 'ENV');
      h.clock.set('2026-10-24T00:10:00+08:00');
      // Act
      const run = (await h.runNow('deem-withdrawal')) as { result: DeemWithdrawalResult };
      const rerun = (await h.runNow('deem-withdrawal')) as { result: DeemWithdrawalResult };
      const again = await deliverAgain({ type: 'case.withdrawn-deemed', caseNo: waiting });
      const sent = await outboxTo(waitingPhone);
      const { history } = (await h.call('GET', `/cases/${waiting}/history`, { token: window })).body;
      const progress = (await h.call('GET', `/cases/${waiting}`, { headers: h.asApplicant(waiting) })).body;
      const reportAfter = await h.call('GET', '/reports?from=2026-09-01&to=2026-10-24', { token: supervisor });
      const envAfter = reportAfter.body.departments.find((d: any) => d.department === 'ENV');
      // Assert
      // Every case returned on 09-28 and never supplied is withdrawn (this one and those of earlier tests), once
      expect(run.result.withdrawn).toEqual(expect.arrayContaining([waiting]));
      expect(run.result.withdrawn).not.toContain(supplied);
      expect(rerun.result.withdrawn).toEqual([]);
      expect(again.sms).toBe('duplicate');
      expect(progress.status).toBe('withdrawn');
      expect(history.at(-1)).toEqual(
        expect.objectContaining({
          action: 'deem-withdrawn',
          role: 'system',
          from: 'supplement-required',
          to: 'withdrawn',
          note: expect.stringMatching(/not supplemented by 2026-10-23.*APPLICATION.*视为撤回/),
        }),
      );
      expect(sent.filter((m) => m.kind === 'deemed-withdrawal').map((m) => m.text)).toEqual([
        `您的办件${waiting}未在2026-10-23前补正，已视为撤回；如需办理请重新申报。`,
      ]);
      expectOneSegment(sent);
      expect(envAfter.received).toBe(envBefore.received);
      expect(envAfter.stillOpen).toBe(envBefore.stillOpen - run.result.withdrawn.length);
    });

    it('leaves a case supplied in time alone', async () => {
      // Act
      const view = await staffView(supplied);
      const sent = await outboxTo(suppliedPhone);
      // Assert
      expect(view.status).toBe('submitted');
      expect(sent.map((m) => m.kind)).toEqual(['receipt', 'supplement-notice']);
    });

    it('tells the applicant of a case deemed accepted under art. 32 its committed deadline, once', async () => {
      // Act
      const run = (await h.runNow('deem-acceptance')) as { result: DeemResult };
      const again = await deliverAgain({ type: 'case.accepted', caseNo: silent });
      const sent = await outboxTo(silentPhone);
      const { deadlines } = await staffView(silent);
      // Assert
      expect(run.result.deemed).toContain(silent);
      expect(again.sms).toBe('duplicate');
      expect(sent.map((m) => m.kind)).toEqual(['receipt', 'acceptance']);
      expect(sent[1].text).toBe(`您的办件${silent}已受理，承诺${deadlines.committed}前办结，可凭查询码查询进度。`);
    });
  });
});
