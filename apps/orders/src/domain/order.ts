import { OrderPlaced, ProcessPayment, type Address, type MessageDefinition } from '@app/contracts';

export const OrderStatus = {
  Pending: 'PENDING',
  Paid: 'PAID',
  Completed: 'COMPLETED',
  Refunding: 'REFUNDING',
  /** Parked: its refund never came back, however often it was sent. An operator takes over. */
  RefundStalled: 'REFUND_STALLED',
  Cancelled: 'CANCELLED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
export const orderStatuses = Object.values(OrderStatus);

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  /** Minor units of the order's currency. */
  readonly unitPrice: number;
}

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly OrderItem[];
  readonly address: Address;
  /** Minor units: the sum of quantity × unitPrice. */
  readonly total: number;
  readonly status: OrderStatus;
  readonly paymentId: string | null;
  readonly shipmentId: string | null;
  readonly trackingNumber: string | null;
  readonly cancelReason: string | null;
  /** How many times RefundPayment was sent for this order's payment. */
  readonly refundAttempts: number;
  /** Whether its OrderCancelled went out: the customer is told once. */
  readonly cancellationAnnounced: boolean;
  /** When the state it is in stops waiting; null when it waits for nothing. */
  readonly deadlineAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A message the domain decided to send or publish; the outbox carries it out. */
export interface OutgoingMessage {
  readonly message: MessageDefinition<unknown>;
  readonly payload: unknown;
}

/** Typed by the version the message's producers send, which the outbox holds them to. */
export function outgoing<S>(message: MessageDefinition<unknown, S>, payload: S): OutgoingMessage {
  return { message: message as MessageDefinition<unknown>, payload };
}

export interface NewOrder {
  readonly id: string;
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly OrderItem[];
  readonly address: Address;
}

export class OrderTotalTooLarge extends Error {
  readonly code = 'ORDER.TOTAL_TOO_LARGE';
  constructor() {
    super('the order total does not fit in an exact integer of minor units');
  }
}

/**
 * Placing an order: PENDING, OrderPlaced for everyone, ProcessPayment for payments.
 * `paymentDeadline` is when it stops waiting for its payment.
 */
export function placeOrder(
  draft: NewOrder,
  now: Date,
  paymentDeadline: Date | null = null,
): { order: Order; messages: OutgoingMessage[] } {
  const total = draft.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  if (!Number.isSafeInteger(total)) throw new OrderTotalTooLarge();
  const order: Order = {
    ...draft,
    total,
    status: OrderStatus.Pending,
    paymentId: null,
    shipmentId: null,
    trackingNumber: null,
    cancelReason: null,
    refundAttempts: 0,
    cancellationAnnounced: false,
    deadlineAt: paymentDeadline,
    createdAt: now,
    updatedAt: now,
  };
  return {
    order,
    messages: [
      outgoing(OrderPlaced, {
        orderId: order.id,
        customerId: order.customerId,
        total,
        currency: order.currency,
        items: order.items.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
        address: order.address,
      }),
      outgoing(ProcessPayment, {
        orderId: order.id,
        customerId: order.customerId,
        amount: total,
        currency: order.currency,
      }),
    ],
  };
}
