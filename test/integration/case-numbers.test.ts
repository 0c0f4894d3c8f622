import { CaseRepository, SEQUENCE_BLOCK } from '../../shared/store/case-repository';
import { startHarness, type Harness } from '../support/harness';

describe('case number sequences', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  it('never hands out the same number twice, across processes sharing the table and under concurrency', async () => {
    // Arrange: two repositories stand for two Lambda containers
    const a = new CaseRepository(h.deps.db, h.deps.tableName);
    const b = new CaseRepository(h.deps.db, h.deps.tableName);
    // Act
    const numbers = await Promise.all(
      Array.from({ length: 95 }, (_, i) => (i % 2 ? a : b).nextSequence('ENV', '2026-09-28')),
    );
    // Assert
    expect(new Set(numbers).size).toBe(95);
    expect(Math.min(...numbers)).toBe(1);
    expect(Math.max(...numbers)).toBeLessThanOrEqual(95 + 2 * SEQUENCE_BLOCK);
  });

  it('starts each department and day at 1', async () => {
    const repo = new CaseRepository(h.deps.db, h.deps.tableName);
    expect(await repo.nextSequence('CIVIL', '2026-10-08')).toBe(1);
    expect(await repo.nextSequence('CIVIL', '2026-10-09')).toBe(1);
    expect(await repo.nextSequence('CIVIL', '2026-10-09')).toBe(2);
  });
});
