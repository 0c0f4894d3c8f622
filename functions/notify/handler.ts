/**
 * The notify function: the one function that sends SMS. EventBridge invokes it for each
 * domain event (EVENT_TYPES: the steps of a case, case.decided, reply.unreadable,
 * followup.opened, complaint.answered, deadline.warning); it reads
 * the record and sends through the Sms port, whose keys make a repeated delivery a no-op.
 * An event it does not know is logged and dropped: retrying cannot make it readable.
 */
import { fromBusEvent, type BusEvent } from '../../shared/adapters/events';
import { notify } from '../../shared/usecases/notify';
import type { AppDeps } from '../../shared/wiring';

export interface NotifyOutcome {
  type?: string;
  sms: 'sent' | 'duplicate' | 'nothing-to-send' | 'unreadable-event';
}

export const makeHandler =
  (deps: AppDeps) =>
  async (event: unknown): Promise<NotifyOutcome> => {
    const domainEvent = fromBusEvent(event);
    if (!domainEvent) {
      const e = event as Partial<BusEvent> | null | undefined;
      deps.logger.warn('notify: not an event of ours', {
        source: e?.source,
        detailType: e?.['detail-type'],
        id: e?.id,
      });
      return { sms: 'unreadable-event' };
    }
    const result = await notify(domainEvent, deps);
    return { type: domainEvent.type, sms: result?.status ?? 'nothing-to-send' };
  };
