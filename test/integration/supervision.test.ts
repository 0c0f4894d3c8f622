/**
 * Electronic supervision (电子监察) over the local runtime: the sweep run as the scheduler runs
 * it (runNow), the board over HTTP, the cards in the SMS outbox.
 *
 * Golden dates: ENV-EIA-FORM (7 working days) accepted Monday 2026-10-12 is due Wednesday
 * 2026-10-21; its yellow threshold is max(2, ceil(20% × 7)) = 2 working days. Tuesday 10-20 is
 * 1 working day before: yellow. Thursday 10-22 is 1 working day past: red.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { taskIdOf } from '../../shared/domain/review';
import { runSupervisionSweep } from '../../shared/usecases/supervision';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);
/** env-a1's number in catalog/staff.json (fake). */
const ENV_A1_PHONE = '13800000001';

describe('electronic supervision of deadlines', () => {
  let h: Harness;
  let window: string;
  let civilWindow: string;
  let supervisor: string;
  let watched: string;
  let farAway: string;

  async function submitAndAccept(itemCode: string, token: string): Promise<string> {
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission(itemCode, materialsOf(itemCode), APPLICANT),
    });
    const accepted = await h.call('POST', `/cases/${submitted.body.caseNo}/accept`, { token, body: {} });
    expect(accepted.status).toBe(200);
    return submitted.body.caseNo;
  }
  const history = async (caseNo: string) =>
    (await h.call('GET', `/cases/${caseNo}/history`, { token: window })).body.history as any[];
  const cards = async (caseNo: string) =>
    (await h.events.settled(), await h.deps.localSms!.outbox()).filter(
      (m) => m.kind === 'deadline-warning' && m.text.includes(caseNo),
    );

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-10-12T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    civilWindow = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    watched = await submitAndAccept('ENV-EIA-FORM', window);
    farAway = await submitAndAccept('CIVIL-SOCORG-PREPARE', civilWindow); // 30 working days: green all along
  });
  afterAll(async () => (h as Harness | undefined)?.stop()); // unset when beforeAll failed

  it('leaves a case green while more than its threshold is left: nothing on the board, nothing recorded', async () => {
    // Arrange
    h.clock.set('2026-10-16T09:00:00+08:00'); // 3 working days left
    // Act
    await h.runNow('supervision-sweep');
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    expect(board.status).toBe(200);
    expect(board.body.yellow).toEqual([]);
    expect(board.body.red).toEqual([]);
    expect((await history(watched)).some((e) => e.action.startsWith('warn-'))).toBe(false);
  });

  it('turns a case yellow 1 working day before its deadline, recorded once and carded once even when the sweep runs twice', async () => {
    // Arrange
    h.clock.set('2026-10-20T09:00:00+08:00');
    // Act
    const first = await h.runNow('supervision-sweep');
    const second = await h.runNow('supervision-sweep');
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    expect(first.result).toEqual(expect.objectContaining({ yellow: 1, red: 0, recorded: 1, cardsQueued: 1 }));
    expect(second.result).toEqual(expect.objectContaining({ yellow: 1, recorded: 0, cardsQueued: 0 }));
    expect((await history(watched)).filter((e) => e.action === 'warn-yellow')).toEqual([
      expect.objectContaining({ actor: 'supervision-sweep', role: 'system', from: 'accepted', to: 'accepted' }),
    ]);
    const sent = await cards(watched);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(expect.objectContaining({ to: ENV_A1_PHONE, key: `warning#${watched}#yellow` }));
    expect(sent[0].text).toMatch(/^【预警】办件.*将于2026-10-21到期/);
    expect(sent[0].text.length).toBeLessThanOrEqual(70);
    expect(board.body.yellow).toEqual([
      expect.objectContaining({
        kind: 'case',
        caseNo: watched,
        department: 'ENV',
        due: '2026-10-21',
        workingDaysLeft: 1,
        daysOverdue: 0,
        warnedAt: expect.stringMatching(/^2026-10-20T09:00/),
      }),
    ]);
    expect(board.body.byDepartment).toEqual(
      expect.arrayContaining([
        { department: 'ENV', yellow: 1, red: 0 },
        { department: 'CIVIL', yellow: 0, red: 0 },
      ]),
    );
    expect(JSON.stringify(board.body)).not.toContain(farAway);
  });

  it('turns it red once the deadline has passed, with the working days overdue, again once per colour', async () => {
    // Arrange
    h.clock.set('2026-10-22T09:00:00+08:00');
    // Act
    await h.runNow('supervision-sweep');
    await h.runNow('supervision-sweep');
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    const warnings = (await history(watched)).filter((e) => e.action.startsWith('warn-')).map((e) => e.action);
    expect(warnings).toEqual(['warn-yellow', 'warn-red']);
    const sent = await cards(watched);
    expect(sent.map((m) => m.key)).toEqual([`warning#${watched}#yellow`, `warning#${watched}#red`]);
    expect(sent[1].text).toMatch(/^【报警】办件.*已超过办结时限2026-10-21/);
    expect(board.body.red).toEqual([expect.objectContaining({ caseNo: watched, workingDaysLeft: -1, daysOverdue: 1 })]);
    expect(board.body.yellow).toEqual([]);
    expect(board.body.byDepartment).toEqual(expect.arrayContaining([{ department: 'ENV', yellow: 0, red: 1 }]));
  });

  it('never writes a staff phone number unmasked in the logs', () => {
    // Assert
    expect(h.logs.join('\n')).not.toContain(ENV_A1_PHONE);
  });

  it('leaves the case workable by staff after the warnings, and off the board once decided', async () => {
    // Act
    const decided = await h.call('POST', `/cases/${watched}/decide`, { token: window, body: { decision: 'approve' } });
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    expect(decided.status).toBe(200);
    expect(board.body.red).toEqual([]);
  });

  it('is for supervisors only', async () => {
    // Act
    const res = await h.call('GET', '/supervision', { token: window });
    const denials = await h.call('GET', '/supervision/denials?month=2026-1', { token: supervisor });
    // Assert
    expect(res.status).toBe(403);
    expect(denials.status).toBe(400);
    expect(denials.body.errors[0].field).toBe('query.month');
  });
});

describe('electronic supervision of review tasks, bad-rating follow-ups and complaints', () => {
  let h: Harness;
  let window: string;
  let supervisor: string;
  let caseNo: string;
  let complaintId: string;
  const taskId = taskIdOf('MKT-20261012-0001', 0, 'QS');
  const sweep = async () => {
    const result = await runSupervisionSweep(h.deps);
    await h.events.settled(); // the cards go through the notify function
    return result;
  };

  beforeAll(async () => {
    // Arrange (Mon 10-12): a case decided and rated very dissatisfied online (a follow-up opens,
    // due in 15 working days: 11-02), a complaint about it (due 11-02), and a QS review task due 10-14.
    h = await startHarness({ clockStart: '2026-10-12T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    caseNo = (
      await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), APPLICANT) })
    ).body.caseNo;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    expect(
      (
        await h.call('POST', `/cases/${caseNo}/rating`, {
          headers: h.asApplicant(caseNo),
          body: { level: 'very-dissatisfied' },
        })
      ).status,
    ).toBeLessThan(300);
    complaintId = (
      await h.call('POST', '/complaints', {
        body: { who: '王五', contact: '13900005678', caseNo, text: '审批人员态度差' },
      })
    ).body.id;
    await h.deps.tasks.openOnce({
      taskId,
      caseNo: 'MKT-20261012-0001',
      itemCode: 'MKT-ENTERPRISE-JOINT',
      stage: 0,
      kind: 'review',
      department: 'QS',
      due: '2026-10-14',
      status: 'open',
      openedAt: '2026-10-12T10:00:00.000+08:00',
      version: 1,
    });
  });
  afterAll(async () => (h as Harness | undefined)?.stop()); // unset when beforeAll failed

  it('turns an overdue task, follow-up and complaint red once each, and cards their departments once', async () => {
    // Arrange: Tue 11-03, one working day past the follow-up's and the complaint's due date
    h.clock.set('2026-11-03T09:00:00+08:00');
    // Act
    const first = await sweep();
    const second = await sweep();
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    expect(first).toEqual(expect.objectContaining({ red: 3, recorded: 3, cardsQueued: 3 }));
    expect(second).toEqual(expect.objectContaining({ red: 3, recorded: 0, cardsQueued: 0 }));
    const cards = (await h.deps.localSms!.outbox()).filter((m) => m.kind === 'deadline-warning');
    expect(cards.map((m) => [m.key, m.to])).toEqual(
      expect.arrayContaining([
        [`warning#${taskId}#red`, '13800000007'], // qs-a1: A of QS's first post
        [`warning#FU-${caseNo}#red`, ENV_A1_PHONE],
        [`warning#${complaintId}#red`, ENV_A1_PHONE],
      ]),
    );
    expect(cards).toHaveLength(3);
    expect(board.body.red.map((r: any) => [r.kind, r.id, r.daysOverdue])).toEqual(
      expect.arrayContaining([
        ['task', taskId, 14],
        ['followup', `FU-${caseNo}`, 1],
        ['complaint', complaintId, 1],
      ]),
    );
    const followUp = (await h.deps.followUps.get(`FU-${caseNo}`)) as any;
    expect(followUp.history.filter((e: any) => e.action === 'warn-red')).toEqual([
      expect.objectContaining({ from: 'open', to: 'open' }),
    ]);
  });

  it('leaves a follow-up workable after its warning', async () => {
    // Act
    const res = await h.call('POST', `/followups/FU-${caseNo}/actions`, {
      token: window,
      body: { type: 'verify', note: '已电话回访核实' },
    });
    // Assert
    expect(res.status).toBe(200);
  });
});
