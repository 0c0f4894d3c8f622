/**
 * A submission whose first attempt claimed its Idempotency-Key and stopped before writing the
 * case: the retry writes the case like any new one, with its art. 32 pre-review due date (so
 * the deem-acceptance job can reach it) and its A/B assignment.
 */
import { createHash } from 'node:crypto';
import { submitCase } from '../../shared/usecases/submit-case';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { startHarness, type Harness } from '../support/harness';
import { fullSubmission } from '../support/fixtures';

const materials = loadDefaultCatalog()
  .item('ENV-EIA-FORM')!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

describe('a retry after a crash between claiming the key and writing the case', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
  });
  afterAll(async () => h.stop());

  it('writes the case the key names, with its pre-review due date and its assignee', async () => {
    // Arrange: the first attempt got as far as the claim
    const input = fullSubmission('ENV-EIA-FORM', materials);
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ channel: 'online', input }))
      .digest('base64url');
    await h.deps.idempotency.claim('submit', 'key-1', {
      requestHash,
      resultRef: 'ENV-20260928-0042',
      createdAt: '2026-09-28T09:00:00.000+08:00',
    });
    // Act
    const { created, record } = await submitCase(input, { idempotencyKey: 'key-1' }, h.deps);
    // Assert
    expect(created).toBe(true);
    expect(record).toEqual(
      expect.objectContaining({
        caseNo: 'ENV-20260928-0042',
        status: 'submitted',
        preReviewDue: '2026-10-10',
        post: 'ENV-01',
        assignee: 'env-a1',
      }),
    );
    expect(await h.deps.cases.get('ENV-20260928-0042')).toEqual(
      expect.objectContaining({ preReviewDue: '2026-10-10', assignee: 'env-a1' }),
    );
  });
});
