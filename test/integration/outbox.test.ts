/**
 * The outbox: what must follow a decision is recorded with it, carried out right after, and by
 * the outbox job when that failed; a failed store or port answers 503 with Retry-After, and a
 * retry completes. In process, against dynalite, with faults injected where a test says.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { FaultInjector } from '../../shared/adapters/faults';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { PENDING_SHARDS } from '../../shared/store/outbox-repository';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

describe('the outbox', () => {
  let h: Harness;
  let faults: FaultInjector;
  let window: string;

  async function acceptedCase(): Promise<string> {
    const res = await h.call('POST', '/cases', { body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')) });
    expect(res.status).toBe(201);
    const caseNo = res.body.caseNo as string;
    expect((await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} })).status).toBe(200);
    return caseNo;
  }

  async function completionSms(caseNo: string) {
    return (await h.deps.localSms!.outbox()).filter((m) => m.key === `completion#${caseNo}`);
  }

  async function caseItem(caseNo: string) {
    await h.deps.outbox.idle(); // effects are taken off the item after the answer
    const items = await h.allItems();
    return items.find((i) => i.pk === `CASE#${caseNo}` && i.sk === 'CASE')!;
  }

  beforeAll(async () => {
    faults = new FaultInjector({ rate: 0 });
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00', faults });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
  });
  afterAll(async () => h.stop());

  it('carries out a decision at once: one completion SMS, a filing, and nothing left pending on the case', async () => {
    // Arrange
    const caseNo = await acceptedCase();
    // Act
    const res = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: { decision: 'deny', reason: '材料不符合要求' },
    });
    // Assert
    expect(res.status).toBe(200);
    expect(await completionSms(caseNo)).toHaveLength(1);
    const item = await caseItem(caseNo);
    expect(item.effects).toBeUndefined();
    expect(item.pepk).toBeUndefined();
    expect((await h.deps.denials.month('2026-09')).map((d) => d.caseNo)).toContain(caseNo);
  });

  it('keeps the completion SMS pending when the event cannot be published, and the outbox job sends it once', async () => {
    // Arrange
    const caseNo = await acceptedCase();
    faults.failNext('events', /case\.decided/, 'server');
    // Act
    const res = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    const before = await completionSms(caseNo);
    const pending = await caseItem(caseNo);
    const first = await h.runJob('jobs', 'outbox');
    const second = await h.runJob('jobs', 'outbox');
    // Assert
    expect(res.status).toBe(200);
    expect(before).toHaveLength(0);
    expect((pending.effects as { kind: string }[]).map((e) => e.kind)).toEqual(['publish']);
    expect(pending.pepk).toMatch(/^PENDING#\d$/);
    // Not yet due: the job leaves a fresh effect to the request carrying it out, for 30 s.
    expect(first.result.items).toBe(0);
    expect(second.result.items).toBe(0);
    const run = await runAllPending();
    expect(run.done).toBe(1);
    expect(await completionSms(caseNo)).toHaveLength(1);
    expect((await caseItem(caseNo)).effects).toBeUndefined();
  });

  /** The outbox job over every pending item (as at the runtime's start), whatever its retry instant. */
  async function runAllPending() {
    const { runOutbox } = await import('../../shared/usecases/outbox');
    return runOutbox(h.deps, { all: true });
  }

  it('finds pending work with one Query per shard of the sparse pending-effects index, never a Scan', async () => {
    // Arrange
    const caseNo = await acceptedCase();
    faults.failNext('events', /case\.decided/, 'throttle');
    await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    const queriesBefore = h.deps.outbox.stats.queries;
    // Act
    const shard = await h.deps.db.send(
      new QueryCommand({
        TableName: h.deps.tableName,
        IndexName: 'pending-effects',
        KeyConditionExpression: 'pepk = :p',
        ExpressionAttributeValues: { ':p': (await caseItem(caseNo)).pepk },
      }),
    );
    const run = await runAllPending();
    // Assert
    expect(shard.Items!.map((i) => i.pk)).toContain(`CASE#${caseNo}`);
    expect(h.deps.outbox.stats.queries - queriesBefore).toBe(PENDING_SHARDS);
    expect(run.done).toBeGreaterThanOrEqual(1);
    expect(await completionSms(caseNo)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the save timed out after it was written, and the retry answers 200 with one SMS', async () => {
    // Arrange
    const caseNo = await acceptedCase();
    faults.failNext(
      'store',
      /^PutItemCommand$/,
      'timeout',
      (input) => (input as { Item?: { pk?: string } }).Item?.pk === `CASE#${caseNo}`,
    );
    // Act
    const failed = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    const retried = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    // Assert
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('application/problem+json');
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(failed.text).not.toMatch(/injected|PutCommand|Timeout/);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('approved');
    expect(await completionSms(caseNo)).toHaveLength(1);
    expect((await caseItem(caseNo)).effects).toBeUndefined();
  });

  it('answers 503 while the store is stopped, writes nothing half-way, and completes the same requests once it is back', async () => {
    // Arrange
    const caseNo = await acceptedCase();
    await h.events.settled(); // the receipt and acceptance SMS are sent before the store stops
    const itemsBefore = await h.allItems();
    faults.outage('store');
    // Act
    const submitted = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')),
      headers: { 'idempotency-key': 'outage-retry-1' },
    });
    const decided = await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    faults.restore('store');
    const itemsDuring = await h.allItems();
    const submittedAgain = await h.call('POST', '/cases', {
      body: fullSubmission('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM')),
      headers: { 'idempotency-key': 'outage-retry-1' },
    });
    const decidedAgain = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: { decision: 'approve' },
    });
    // Assert
    for (const res of [submitted, decided]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body.title).toBe('Service unavailable');
    }
    expect(itemsDuring).toHaveLength(itemsBefore.length);
    expect(submittedAgain.status).toBe(201);
    expect(decidedAgain.status).toBe(200);
    expect(await completionSms(caseNo)).toHaveLength(1);
  });

  it('records a complaint answer with its SMS; a publish whose answer was lost is repeated by the job and still sends one SMS', async () => {
    // Arrange
    const contact = '13900007788';
    const made = await h.call('POST', '/complaints', { body: { who: '王五', contact, text: '窗口排队时间过长' } });
    const id = made.body.id as string;
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'HALL' });
    const transferred = await h.call('POST', `/complaints/${id}/actions`, {
      token: supervisor,
      body: { type: 'transfer', department: 'ENV', note: '请环保局核查' },
    });
    faults.failNext('events', /complaint\.answered/, 'reset');
    // Act
    const answered = await h.call('POST', `/complaints/${id}/actions`, {
      token: window,
      body: { type: 'answer', answer: '已协调增加窗口，感谢监督。' },
    });
    const before = (await h.deps.localSms!.outbox()).filter((m) => m.key === `complaint-answer#${id}`);
    const run = await runAllPending();
    const after = (await h.deps.localSms!.outbox()).filter((m) => m.key === `complaint-answer#${id}`);
    // Assert
    expect([made.status, transferred.status]).toEqual([201, 200]);
    expect(answered.status).toBe(200);
    expect(answered.body.effects).toBeUndefined();
    // The reset came after the bus had handled the event: sent, but the effect stayed pending.
    expect(before).toHaveLength(1);
    expect(run.done).toBeGreaterThanOrEqual(1);
    expect(after).toHaveLength(1);
  });
});
