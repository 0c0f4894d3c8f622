/**
 * With 5% of the store, event, SMS and workflow calls failing (throttling, 5xx, timeouts and
 * resets after the call), submissions and decisions through the local runtime's HTTP server:
 * every failure is a 503 problem+json with Retry-After, its retry completes, and once the
 * outbox job has run nothing is duplicated, lost or left pending. (`npm run bench -- faults`
 * runs the same with 1,000 of each.)
 */
import { FaultInjector } from '../../shared/adapters/faults';
import { memoryLogger } from '../../shared/adapters/logger';
import { startRuntime, type Runtime } from '../../infra/local/runtime';
import { runFaultScenario } from '../../bench/fault-run';
import { engineRuntimeOptions } from '../support/engine';

describe('the local runtime with 5% of its calls failing', () => {
  let runtime: Runtime;
  afterAll(async () => runtime.stop());

  it('answers every failure 503 with Retry-After, completes every retry, and loses or repeats nothing', async () => {
    // Arrange
    const faults = new FaultInjector({ rate: 0.05, seed: 11 });
    runtime = await startRuntime({
      dataDir: null,
      clockStart: '2026-09-28T09:00:00+08:00',
      logger: memoryLogger(),
      faults,
      ...engineRuntimeOptions(null),
      // One test client making every request: the per-client limit has its own tests.
      env: { CLIENT_WRITE_LIMIT: 'off' },
    });
    const window = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    // Act
    const r = await runFaultScenario(runtime, window, { submissions: 120, decisions: 100, concurrency: 16 });
    // Assert
    expect(r.injected).toBeGreaterThan(10);
    expect(r.unavailable).toBeGreaterThan(0);
    expect(r.otherFailures).toEqual([]);
    expect(r.badUnavailable).toBe(0);
    expect(r.cases).toBe(120);
    expect(r.duplicateCases).toBe(0);
    expect(r.decided).toBe(100);
    expect(r.lostSms).toBe(0);
    expect(r.duplicateSms).toBe(0);
    expect(r.missingFilings).toBe(0);
    expect(r.missingRatingSchedules).toBe(0);
    expect(r.pendingAfterJob).toBe(0);
  }, 180_000);
});
