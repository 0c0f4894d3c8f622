/**
 * Records kept only for deduplication carry the table's TTL attribute, so DynamoDB deletes
 * them once no retry can come (shared/store/retention.ts): idempotency keys after 7 days,
 * SMS claims and inbound SMS claims after 180. Cases, tasks and history carry none.
 */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { RETENTION_DAYS } from '../../shared/store/retention';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';

const catalog = loadDefaultCatalog();
const materials = catalog
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);
const START = '2026-09-28T09:00:00+08:00';
const startSeconds = Date.parse(START) / 1000;
const DAY = 86_400;

describe('retention of deduplication records', () => {
  let h: Harness;
  let items: Record<string, unknown>[];
  const byEntity = (entity: string) => items.filter((i) => i.entity === entity);

  beforeAll(async () => {
    // Arrange: a case submitted with an Idempotency-Key, decided (a completion SMS), and rated by SMS reply
    h = await startHarness({ clockStart: START });
    const window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    const phone = '13800007001';
    const submitted = await h.call('POST', '/cases', {
      headers: { 'idempotency-key': 'retention-test-1' },
      body: fullSubmission('ENV-EIA-FORM', materials, { ...APPLICANT, phone }),
    });
    const caseNo = submitted.body.caseNo as string;
    await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    await h.call('POST', `/cases/${caseNo}/decide`, { token: window, body: { decision: 'approve' } });
    await h.events.settled();
    await h.call('POST', '/_local/sms/inbound', { body: { from: `+86${phone}`, text: '1', messageId: 'm-ret-1' } });
    // Act
    items = await h.allItems();
  });
  afterAll(async () => h.stop());

  it('gives an idempotency key a TTL 7 days after it was claimed', () => {
    const [record] = byEntity('idempotency');
    expect(record).toBeDefined();
    expect(record.expiresAt).toBeGreaterThanOrEqual(startSeconds + RETENTION_DAYS.idempotencyKey * DAY);
    expect(record.expiresAt).toBeLessThan(startSeconds + (RETENTION_DAYS.idempotencyKey + 1) * DAY);
  });

  it('gives each SMS claim a TTL 180 days after it was sent', () => {
    const sms = byEntity('sms');
    expect(sms.length).toBeGreaterThan(0);
    for (const record of sms) {
      expect(record.expiresAt).toBeGreaterThanOrEqual(startSeconds + 180 * DAY);
      expect(record.expiresAt).toBeLessThan(startSeconds + 181 * DAY);
    }
  });

  it('gives an inbound SMS claim a TTL 180 days after it arrived', () => {
    const [reply] = byEntity('inbound-sms');
    expect(reply).toMatchObject({ messageId: 'm-ret-1' });
    expect(reply.expiresAt).toBeGreaterThanOrEqual(startSeconds + 180 * DAY);
  });

  it('gives cases no TTL: they are kept', () => {
    const cases = byEntity('case');
    expect(cases.length).toBe(1);
    expect(cases[0].expiresAt).toBeUndefined();
  });
});
