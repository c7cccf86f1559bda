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

/** Every message of the platform, for tooling that must see them all. */
export const catalog: readonly MessageDefinition[] = [
  ProcessPayment,
  RefundPayment,
  ShipOrder,
  RecallShipment,
  OrderPlaced,
  OrderCompleted,
  OrderCancelled,
  PaymentCompleted,
  PaymentDeclined,
  PaymentRefunded,
  OrderShipped,
  ShipmentFailed,
  ShipmentRecalled,
];

export function findBySubject(subject: string): MessageDefinition | undefined {
  return catalog.find((message) => message.subject === subject);
}
