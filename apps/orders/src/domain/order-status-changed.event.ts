import type { OrderStatus } from './order.js';

/**
 * In-app domain event: an order changed state. Published on the app's event
 * bus once the change has committed; what leaves the app goes through the outbox.
 */
export class OrderStatusChangedEvent {
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus | null,
    readonly to: OrderStatus,
    /** The message type (or PlaceOrder, or a deadline) that caused it. */
    readonly cause: string,
    /** Why, when the step says so in words. */
    readonly note: string | null = null,
  ) {}
}
