import { Command } from '@nestjs/cqrs';
import type { CustomerEvent } from '../../domain/notification.js';

/** Tell the customer about one event, once: a second time for the same event does nothing. */
export class NotifyCustomerCommand extends Command<void> {
  constructor(
    readonly input: CustomerEvent,
    /** The event's Nats-Msg-Id: at most one notification per event. */
    readonly messageId: string,
  ) {
    super();
  }
}
