/**
 * Each function's capabilities (infra/permissions.ts), against what its code uses. The local
 * runtime runs every handler as its function, and every port records each use by the function
 * calling it and refuses one the function is not given (shared/adapters/capabilities.ts). This
 * runs every function through the journeys that reach each of its ports, and checks that no use
 * was refused and that every capability declared is one the code used: a function neither lacks
 * nor holds more than its code needs, and the CDK stack grants exactly these
 * (test/infra/permissions.test.ts).
 */
import { capabilitiesOf } from '../../infra/permissions';
import { FUNCTIONS } from '../../infra/routes';
import { MissingCapabilityError, runAsFunction, usedCapabilities } from '../../shared/adapters/capabilities';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness, type HttpReply } from '../support/harness';
import { fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);
const JOINT = 'MKT-ENTERPRISE-JOINT';
const JOINT_DEPTS = ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'];

describe('what each function’s code uses, against its capabilities', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  const staff = (role: string, dept: string) => h.token({ sub: `${dept.toLowerCase()}-a1`, role, dept });
  const ok = (res: HttpReply, what: string): HttpReply => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
    return res;
  };
  async function submit(itemCode: string): Promise<string> {
    return ok(await h.call('POST', '/cases', { body: fullSubmission(itemCode, materialsOf(itemCode)) }), 'submit').body
      .caseNo as string;
  }
  async function taskOf(caseNo: string, dept: string): Promise<string> {
    const token = await staff('reviewer', dept);
    return waitFor(async () => {
      const res = await h.call('GET', '/worklist', { token });
      return res.body.tasks.find((t: any) => t.caseNo === caseNo && t.status === 'open')?.taskId as string | undefined;
    }, `the ${dept} task of ${caseNo}`);
  }

  it('uses, in every function, exactly the capabilities declared for it, and is refused none', async () => {
    // Arrange: the service guide; a committed case decided and rated badly; an unreadable SMS reply
    const envWindow = await staff('window', 'ENV');
    const mktWindow = await staff('window', 'MKT');
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    const admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    ok(await h.call('GET', '/items/ENV-EIA-FORM'), 'the item guide');
    const decided = await submit('ENV-EIA-FORM');
    ok(await h.call('POST', `/cases/${decided}/accept`, { token: envWindow, body: {} }), 'accept');
    ok(await h.call('POST', `/cases/${decided}/decide`, { token: envWindow, body: { decision: 'approve' } }), 'decide');
    ok(
      await h.call('POST', `/cases/${decided}/rating`, {
        headers: h.asApplicant(decided),
        body: { level: 'very-dissatisfied' },
      }),
      'rating',
    );
    ok(await h.call('POST', '/_local/sms/inbound', { body: { from: '13800001234', text: '？？' } }), 'SMS reply');
    // A lost query code: submission asks for a one-time code, notify derives it and sends it.
    ok(await h.call('POST', `/cases/${decided}/one-time-code`, { body: {} }), 'one-time code');
    // A joint case reviewed by its five departments; one left in review without an execution.
    const joint = await submit(JOINT);
    ok(await h.call('POST', `/cases/${joint}/accept`, { token: mktWindow, body: {} }), 'accept joint');
    for (const dept of JOINT_DEPTS) {
      ok(
        await h.call('POST', `/tasks/${await taskOf(joint, dept)}/decision`, {
          token: await staff('reviewer', dept),
          body: { decision: 'approve', opinion: `${dept} 同意` },
        }),
        `${dept} decision`,
      );
    }
    await h.workflow.whenDone(joint);
    const lost = await submit(JOINT);
    const c = (await h.deps.cases.get(lost))!;
    await h.deps.cases.save({ ...c, status: 'in-review', acceptedAt: c.receivedAt, version: c.version + 1 }, c.version);
    await h.runJob('review', 'resume-reviews');
    // A joint case nobody pre-reviews (art. 32), and a committed case near its deadline.
    const silent = await submit(JOINT);
    const watched = await submit('ENV-EIA-FORM');
    ok(await h.call('POST', `/cases/${watched}/accept`, { token: envWindow, body: {} }), 'accept watched');
    h.clock.set('2026-11-10T09:00:00+08:00');

    // Act: the jobs, the hall's administration, the reports and the board
    const deemed = await h.runNow('deem-acceptance');
    const swept = await h.runNow('supervision-sweep');
    ok(
      await h.call('PUT', '/posts/ENV-01/presence', { token: admin, body: { person: 'a', present: true } }),
      'presence',
    );
    ok(await h.call('GET', '/reports/2026-10', { token: supervisor }), 'the October report');
    ok(await h.call('GET', '/supervision', { token: supervisor }), 'the board');
    await h.events.settled();
    const { used, refused } = usedCapabilities();

    // Assert
    expect(JSON.stringify(deemed)).toContain(silent);
    expect(swept.result).toEqual(expect.objectContaining({ cardsQueued: expect.any(Number) }));
    expect(refused).toEqual([]);
    const byFunction = (fn: (typeof FUNCTIONS)[number]) => ({ fn, capabilities: [...(used.get(fn) ?? [])].sort() });
    expect(FUNCTIONS.map(byFunction)).toEqual(
      FUNCTIONS.map((fn) => ({ fn, capabilities: [...capabilitiesOf(fn, 'sns')].sort() })),
    );
  });

  it('refuses a port to a function not given it, naming the function and what to add', async () => {
    // Act: the catalog function's code trying to start a review
    const refused = await runAsFunction('catalog', () =>
      h.deps.workflow.start('X-1', { caseNo: 'X-1', stages: [] }).catch((e: unknown) => e),
    );
    // Assert
    expect(refused).toBeInstanceOf(MissingCapabilityError);
    expect((refused as Error).message).toBe(
      'the catalog function is not given workflow:start (StartExecution): add it to catalog in infra/permissions.ts, which also grants it in AWS',
    );
  });
});
