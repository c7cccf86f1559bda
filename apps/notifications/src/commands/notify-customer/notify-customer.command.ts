import { Command } from '@nestjs/cqrs';
import type { CustomerEvent } from '../../domain/notification.js';

/** Tell the customer about one event; false when it was already told. */
export class NotifyCustomerCommand extends Command<boolean> {
  constructor(
    readonly input: CustomerEvent,
    /** The event's Nats-Msg-Id: at most one notification per event. */
    readonly messageId: string,
  ) {
    super();
  }
}
