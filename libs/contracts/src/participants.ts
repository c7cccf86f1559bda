import type { MessageDefinition } from './message-definition.js';
import { OrderCancelled } from './orders/order-cancelled.event.js';
import { OrderCompleted } from './orders/order-completed.event.js';
import { OrderPlaced } from './orders/order-placed.event.js';
import { PaymentCompleted } from './payments/payment-completed.event.js';
import { PaymentDeclined } from './payments/payment-declined.event.js';
import { PaymentRefunded } from './payments/payment-refunded.event.js';
import { ProcessPayment } from './payments/process-payment.command.js';
import { RefundPayment } from './payments/refund-payment.command.js';
import { OrderShipped } from './shipping/order-shipped.event.js';
import { RecallShipment } from './shipping/recall-shipment.command.js';
import { ShipmentFailed } from './shipping/shipment-failed.event.js';
import { ShipmentRecalled } from './shipping/shipment-recalled.event.js';
import { ShipOrder } from './shipping/ship-order.command.js';

/**
 * Who sends each command and who subscribes to each event.
 * A message's definition already names its receiver (commands) or its
 * publisher (events); this is the other end. Documentation, the live view
 * and the NATS permissions are all derived from it, and a test checks the
 * apps' handlers against it.
 */
export interface Participant {
  readonly sends: readonly MessageDefinition[];
  readonly subscribesTo: readonly MessageDefinition[];
}

export const participants: Readonly<Record<string, Participant>> = {
  orders: {
    sends: [ProcessPayment, RefundPayment, ShipOrder, RecallShipment],
    subscribesTo: [
      PaymentCompleted,
      PaymentDeclined,
      PaymentRefunded,
      OrderShipped,
      ShipmentFailed,
    ],
  },
  payments: { sends: [], subscribesTo: [] },
  shipping: { sends: [], subscribesTo: [] },
  notifications: {
    sends: [],
    subscribesTo: [
      OrderPlaced,
      PaymentDeclined,
      OrderShipped,
      OrderCompleted,
      OrderCancelled,
      ShipmentRecalled,
    ],
  },
};

export function participantNames(): string[] {
  return Object.keys(participants);
}

function participant(app: string): Participant {
  const found = participants[app];
  if (!found) throw new Error(`"${app}" is not a participant of the message catalog`);
  return found;
}

export function sentBy(app: string): readonly MessageDefinition[] {
  return participant(app).sends;
}

export function subscribedBy(app: string): readonly MessageDefinition[] {
  return participant(app).subscribesTo;
}

/** The apps a message is delivered to: one receiver for a command, every subscriber of an event. */
export function recipientsOf(message: MessageDefinition): string[] {
  if (message.kind === 'command') return [message.app];
  return participantNames().filter((app) => participant(app).subscribesTo.includes(message));
}

/** The apps that put a message on the wire: its senders for a command, its publisher for an event. */
export function originsOf(message: MessageDefinition): string[] {
  if (message.kind === 'event') return [message.app];
  return participantNames().filter((app) => participant(app).sends.includes(message));
}
