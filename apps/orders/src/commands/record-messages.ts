import type { Outbox } from '@app/messaging';
import type { OutgoingMessage } from '../domain/order.js';

/** Hands the domain's messages to the outbox, in the unit of work that changed the order. */
export async function recordMessages(
  outbox: Outbox,
  messages: readonly OutgoingMessage[],
  orderId: string,
): Promise<void> {
  for (const { message, payload } of messages) {
    if (message.kind === 'command') await outbox.send(message, payload, { correlationId: orderId });
    else await outbox.publish(message, payload, { correlationId: orderId });
  }
}
