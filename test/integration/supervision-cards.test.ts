/**
 * Supervision cards over HTTP with the clock moved (issue 17, item 4): each card names what it
 * is about (办件, 审查任务, 投诉, 差评回访); a complaint no department has yet warns the
 * supervisors (SUP in catalog/staff.json), once per colour each; follow-ups and complaints count
 * in the monthly report under the window of the case they concern.
 *
 * Golden dates: Mon 2026-10-12 an ENV-EIA-FORM case is accepted (7 working days: due Wed 10-21)
 * and decided; its very dissatisfied rating opens a follow-up, and two complaints arrive, one
 * about the case and one about nothing the hall can place: follow-up and complaints get 15
 * working days, due Mon 11-02, yellow from 3 working days left (max(2, ceil(20% × 15))): Wed
 * 10-28; red from Tue 11-03. A QS review task due Wed 10-14 is red from Thu 10-15.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { taskIdOf } from '../../shared/domain/review';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);
/** The supervisors' numbers in catalog/staff.json (fake). */
const SUPERVISOR_PHONES = ['13800000031', '13800000032'];
const ENV_A1_PHONE = '13800000001';
const QS_A1_PHONE = '13800000007';

interface Card {
  to: string;
  text: string;
  kind: string;
}
/** The cards of one colour that name `ref` (the outbox route shows no SMS keys). */
const named = (all: Card[], colour: 'yellow' | 'red', ref: string) =>
  all.filter(
    (c) =>
      c.text.startsWith(colour === 'red' ? '【报警】' : '【预警】') &&
      (c.text.includes(`${ref}将于`) || c.text.includes(`${ref}已超过`)),
  );

describe('supervision cards name their subject and reach the supervisors for unrouted complaints', () => {
  let h: Harness;
  let admin: string;
  let supervisor: string;
  let caseNo: string;
  let post: string;
  let aboutCase: string;
  let unrouted: string;
  const taskId = taskIdOf('MKT-20261012-0001', 0, 'QS');

  const sweep = async () => {
    const res = await h.call('POST', '/_local/jobs/supervision-sweep', { token: admin, body: {} });
    expect(res.status).toBe(200);
  };
  const cards = async (): Promise<Card[]> => {
    const res = await h.call('GET', '/_local/sms/outbox');
    return (res.body.messages as Card[]).filter((m: Card) => m.kind === 'deadline-warning');
  };

  beforeAll(async () => {
    // Arrange (Mon 10-12)
    h = await startHarness({ clockStart: '2026-10-12T09:00:00+08:00' });
    const window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), APPLICANT),
    });
    caseNo = submitted.body.caseNo;
    expect((await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} })).status).toBe(200);
    expect(
      (await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } })).status,
    ).toBe(200);
    const rated = await h.call('POST', `/cases/${caseNo}/rating`, {
      headers: h.asApplicant(caseNo),
      body: { level: 'very-dissatisfied' },
    });
    expect(rated.status).toBeLessThan(300);
    aboutCase = (
      await h.call('POST', '/complaints', { body: { who: '王五', contact: '13900005678', caseNo, text: '态度差' } })
    ).body.id;
    unrouted = (
      await h.call('POST', '/complaints', {
        body: { who: '赵六', contact: '13900001111', text: '大厅排队叫号混乱，不知道该找哪个窗口' },
      })
    ).body.id;
    post = ((await h.call('GET', `/cases/${caseNo}`, { token: window })).body.post ??
      (await h.deps.cases.get(caseNo))!.post) as string;
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
  }, 60_000);
  afterAll(async () => (h as Harness | undefined)?.stop()); // unset when beforeAll failed

  it('warns every supervisor, once, of a complaint no department has, and lists it under SUP', async () => {
    // Arrange: Wed 10-28, 3 working days before the complaints' due date
    h.clock.set('2026-10-28T09:00:00+08:00');
    // Act
    await sweep();
    await sweep();
    const board = await h.call('GET', '/supervision', { token: supervisor });
    // Assert
    const yellow = named(await cards(), 'yellow', unrouted);
    expect(yellow.map((c) => c.to).sort()).toEqual(SUPERVISOR_PHONES);
    for (const c of yellow) {
      expect(c.text).toBe(`【预警】待分派投诉${unrouted}将于2026-11-02到期，请电子监察室抓紧办理。`);
    }
    const listed = board.body.yellow.find((r: any) => r.id === unrouted);
    expect(listed).toEqual(expect.objectContaining({ kind: 'complaint', department: 'SUP', unrouted: true }));
    expect(board.body.byDepartment).toEqual(expect.arrayContaining([{ department: 'SUP', yellow: 1, red: 0 }]));
    expect(board.body.byDepartment.find((d: any) => d.department === 'unassigned')).toBeUndefined();
  });

  it('turns it red for the supervisors once each, and names every card for its subject', async () => {
    // Arrange: Tue 11-03, one working day past the complaints' and the follow-up's due date
    h.clock.set('2026-11-03T09:00:00+08:00');
    // Act
    await sweep();
    await sweep();
    // Assert
    const all = await cards();
    const red = (ref: string) => named(all, 'red', ref);
    expect(
      red(unrouted)
        .map((c) => [c.to, c.text])
        .sort(),
    ).toEqual(
      SUPERVISOR_PHONES.map((to) => [
        to,
        `【报警】待分派投诉${unrouted}已超过办结时限2026-11-02，请电子监察室立即办理并说明原因。`,
      ]),
    );
    expect(red(aboutCase).map((c) => [c.to, c.text])).toEqual([
      [ENV_A1_PHONE, `【报警】投诉${aboutCase}已超过办结时限2026-11-02，请环境保护局立即办理并说明原因。`],
    ]);
    expect(red(`FU-${caseNo}`).map((c) => [c.to, c.text])).toEqual([
      [ENV_A1_PHONE, `【报警】差评回访FU-${caseNo}已超过办结时限2026-11-02，请环境保护局立即办理并说明原因。`],
    ]);
    expect(red(taskId).map((c) => [c.to, c.text])).toEqual([
      [QS_A1_PHONE, `【报警】审查任务${taskId}已超过办结时限2026-10-14，请质量技术监督局立即办理并说明原因。`],
    ]);
    expect(all.filter((c) => c.text.includes(unrouted))).toHaveLength(4); // 2 supervisors × 2 colours
  });

  it("counts the follow-up and the complaint about a case under the case's window, not the unassigned one", async () => {
    // Act
    const res = await h.call('GET', '/reports/2026-10', { token: supervisor });
    // Assert
    expect(res.status).toBe(200);
    expect(post).toMatch(/^ENV-/);
    const own = res.body.windows.find((w: any) => w.window === post);
    expect(own).toEqual(expect.objectContaining({ received: 1, followUps: 1, complaints: 1 }));
    const unassigned = res.body.windows.find((w: any) => w.window === 'unassigned');
    expect(unassigned).toEqual(expect.objectContaining({ followUps: 0, complaints: 1 })); // the unrouted one only
  });
});
