/**
 * The capability guard wraps every port; a wrapper must keep what the port promises. The outbox
 * counts an effect done only when a durable publish resolves (the event handled), so the guarded
 * events port must keep publishDurably: without it the outbox fell back to a fire-and-forget
 * publish and a crash lost completion SMS (test/e2e/outbox-crash.test.ts found it).
 */
import type { DomainEvent, Events } from '../../shared/adapters/events';
import { guardEvents, runAsFunction } from '../../shared/adapters/capabilities';

describe('the guarded events port', () => {
  const event: DomainEvent = { type: 'case.decided', caseNo: 'ENV-20261204-0001' };

  it('keeps publishDurably, and resolves only once the inner durable publish has', async () => {
    // Arrange
    const handled: string[] = [];
    const inner: Events = {
      publish: () => Promise.resolve(),
      publishDurably: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        handled.push(e.type);
      },
    };
    const guarded = guardEvents(inner);
    // Act
    await runAsFunction('routing', () => guarded.publishDurably!(event));
    // Assert
    expect(typeof guarded.publishDurably).toBe('function');
    expect(handled).toEqual(['case.decided']);
  });

  it('offers no publishDurably when the port it guards has none (EventBridge: PutEvents is durable)', () => {
    const guarded = guardEvents({ publish: () => Promise.resolve() });
    expect('publishDurably' in guarded).toBe(false);
  });

  it('refuses a durable publish to a function not given events:publish', async () => {
    const guarded = guardEvents({ publish: () => Promise.resolve(), publishDurably: () => Promise.resolve() });
    await expect(runAsFunction('supervision', () => guarded.publishDurably!(event))).rejects.toThrow(
      /supervision function is not given events:publish/,
    );
  });
});
