import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  OrderShipped,
  PaymentCompleted,
  PaymentDeclined,
  PaymentRefunded,
  ShipmentFailed,
} from '@app/contracts';
import type { FlowMessage, OrderStatus, TrackedOrder } from './flow-wire.js';

/** An order's statuses, in the order the saga goes through them. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'PENDING',
  'PAID',
  'COMPLETED',
  'REFUNDING',
  'REFUND_STALLED',
  'CANCELLED',
];

export interface SagaStep {
  readonly from: OrderStatus;
  readonly on: string;
  readonly to: OrderStatus;
}

/**
 * The steps of the order saga (docs/saga.md) that an event on the wire takes,
 * forward steps first. The flow view reads the wire only, so it keeps its own
 * copy; a test holds it to the orders app's saga.
 */
export const SAGA_STEPS: readonly SagaStep[] = [
  { from: 'PENDING', on: PaymentCompleted.name, to: 'PAID' },
  { from: 'PENDING', on: PaymentDeclined.name, to: 'CANCELLED' },
  { from: 'PAID', on: OrderShipped.name, to: 'COMPLETED' },
  { from: 'PAID', on: ShipmentFailed.name, to: 'REFUNDING' },
  { from: 'REFUNDING', on: PaymentRefunded.name, to: 'CANCELLED' },
  { from: 'REFUNDING', on: OrderShipped.name, to: 'REFUNDING' },
  { from: 'REFUND_STALLED', on: PaymentRefunded.name, to: 'CANCELLED' },
  { from: 'REFUND_STALLED', on: OrderShipped.name, to: 'REFUND_STALLED' },
  { from: 'CANCELLED', on: PaymentCompleted.name, to: 'CANCELLED' },
  { from: 'CANCELLED', on: PaymentRefunded.name, to: 'CANCELLED' },
  { from: 'CANCELLED', on: OrderShipped.name, to: 'CANCELLED' },
];

/** The orders app's own events state where an order stands, whatever the view saw before. */
const STATED_BY_ORDERS: ReadonlyMap<string, OrderStatus | null> = new Map([
  [OrderPlaced.name, null],
  [OrderCompleted.name, 'COMPLETED'],
  [OrderCancelled.name, 'CANCELLED'],
]);

/**
 * Where an order stands after `message`, as far as the wire tells: the saga's
 * steps for the events it consumes, the orders app's events for the rest.
 * Undefined while the view knows nothing of the order.
 */
export function statusAfter(
  current: OrderStatus | undefined,
  message: string,
): OrderStatus | undefined {
  if (STATED_BY_ORDERS.has(message)) {
    return STATED_BY_ORDERS.get(message) ?? current ?? 'PENDING';
  }
  const steps = SAGA_STEPS.filter((step) => step.on === message);
  if (current === undefined) {
    // Joined mid-saga: the message's first step is its forward one.
    return steps[0]?.to;
  }
  return steps.find((step) => step.from === current)?.to ?? current;
}

/** The most recently active orders and their statuses, at most `capacity` of them. */
export class RecentOrders {
  private readonly orders = new Map<string, TrackedOrder>();

  constructor(private readonly capacity: number) {}

  /** Applies a message; returns the order when the view tracks it. */
  apply(message: FlowMessage): TrackedOrder | undefined {
    if (!message.orderId) return undefined;
    const known = this.orders.get(message.orderId);
    const status = statusAfter(known?.status, message.name);
    if (status === undefined) return undefined;
    const path = known?.path ?? [];
    const order: TrackedOrder = {
      id: message.orderId,
      status,
      path: path.at(-1) === status ? path : [...path, status],
      lastMessage: message.name,
      updatedAt: message.at,
    };
    // Re-inserted so that the map's order is the order of activity.
    this.orders.delete(order.id);
    this.orders.set(order.id, order);
    if (this.orders.size > this.capacity) {
      const oldest = this.orders.keys().next().value;
      if (oldest !== undefined) this.orders.delete(oldest);
    }
    return order;
  }

  /** Most recently active first. */
  list(): TrackedOrder[] {
    return [...this.orders.values()].reverse();
  }

  clear(): void {
    this.orders.clear();
  }
}
