/**
 * A crash in the middle of a burst of decisions loses no completion SMS and sends none twice:
 * each decision's SMS is recorded with it (the outbox), and what the killed runtime had not
 * carried out (an event still in its in-memory bus) is carried out when it starts again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSecrets, signStaffToken } from '../../infra/local/keys';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { fullSubmission } from '../support/fixtures';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

const CASES = 40;
const KILL_AFTER = 12;
const materials = loadDefaultCatalog()
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

describe('the local runtime killed during a burst of decisions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-crash-'));
  let running: RuntimeProcess | undefined;
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every decided case exactly one completion SMS after a restart', async () => {
    // Arrange: accepted cases, and the window's token
    const env = { ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_CLOCK: '2026-09-28T09:00:00+08:00', LOG_LEVEL: 'ERROR' };
    running = await startRuntimeProcess(env);
    const first = running;
    const token = await signStaffToken(await localSecrets(dataDir), { sub: 'env-a1', role: 'window', dept: 'ENV' });
    const caseNos: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const submitted = await post(`${first.url}/cases`, fullSubmission('ENV-EIA-FORM', materials));
      expect(submitted.status).toBe(201);
      caseNos.push(submitted.body.caseNo);
      expect((await post(`${first.url}/cases/${submitted.body.caseNo}/accept`, {}, token)).status).toBe(200);
    }

    // Act: every decision at once; SIGKILL once KILL_AFTER of them have answered
    let answered = 0;
    const okBeforeKill: string[] = [];
    let killed: Promise<void> | undefined;
    await Promise.allSettled(
      caseNos.map(async (caseNo) => {
        const res = await post(`${first.url}/cases/${caseNo}/decide`, { decision: 'approve' }, token);
        if (res.status === 200 && !killed) okBeforeKill.push(caseNo);
        if (++answered === KILL_AFTER) killed = first.kill();
      }),
    );
    await (killed ?? first.kill());
    running = await startRuntimeProcess(env);
    const second = running;
    const statuses = await Promise.all(
      caseNos.map(async (caseNo) => {
        const res = await fetch(`${second.url}/cases/${caseNo}/history`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return ((await res.json()) as any).status as string;
      }),
    );
    const outbox = ((await (await fetch(`${second.url}/_local/sms/outbox`)).json()) as any).messages as {
      kind: string;
      text: string;
    }[];

    // Assert
    const decided = caseNos.filter((_, i) => statuses[i] === 'approved');
    expect(okBeforeKill.length).toBeGreaterThanOrEqual(KILL_AFTER - 1);
    expect(decided).toEqual(expect.arrayContaining(okBeforeKill));
    for (const caseNo of decided) {
      const sms = outbox.filter((m) => m.kind === 'completion' && m.text.includes(caseNo));
      expect({ caseNo, completionSms: sms.length }).toEqual({ caseNo, completionSms: 1 });
    }
    const undecided = caseNos.filter((_, i) => statuses[i] !== 'approved');
    for (const caseNo of undecided)
      expect(outbox.filter((m) => m.kind === 'completion' && m.text.includes(caseNo))).toHaveLength(0);
  }, 240_000);
});
