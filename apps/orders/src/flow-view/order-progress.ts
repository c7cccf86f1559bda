import { OrderCancelled, OrderCompleted, OrderPlaced } from '@app/contracts';
import { OrderStatus } from '../domain/order.js';
import { orderSaga } from '../domain/order-saga.js';
import type { FlowMessage } from './flow-message.js';

/** The orders app's own events state where an order stands, whatever the view saw before. */
const STATED_BY_ORDERS: ReadonlyMap<string, OrderStatus | null> = new Map([
  [OrderPlaced.name, null],
  [OrderCompleted.name, OrderStatus.Completed],
  [OrderCancelled.name, OrderStatus.Cancelled],
]);

/**
 * Where an order stands after `message`, as far as the wire tells: the saga's
 * own table for the messages it consumes, the orders app's events for the
 * rest. Undefined while the view knows nothing of the order.
 */
export function statusAfter(
  current: OrderStatus | undefined,
  message: string,
): OrderStatus | undefined {
  if (STATED_BY_ORDERS.has(message)) {
    return STATED_BY_ORDERS.get(message) ?? current ?? OrderStatus.Pending;
  }
  const transitions = orderSaga.filter((row) => row.on === message);
  if (current === undefined) {
    // Joined mid-saga: the message's first row is its forward step.
    return transitions[0]?.to;
  }
  return transitions.find((row) => row.from === current)?.to ?? current;
}

export interface TrackedOrder {
  readonly id: string;
  readonly status: OrderStatus;
  /** The statuses it went through, oldest first, as the view saw them. */
  readonly path: readonly OrderStatus[];
  readonly lastMessage: string;
  readonly updatedAt: number;
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
