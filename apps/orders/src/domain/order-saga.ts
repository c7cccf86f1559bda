import {
  OrderCancelled,
  OrderCompleted,
  RecallShipment,
  RefundPayment,
  ShipOrder,
} from '@app/contracts';
import { OrderStatus, outgoing, type Order, type OutgoingMessage } from './order.js';

/** What can move an order: the events it consumes, and its own deadlines passing. */
export type SagaMessage =
  | {
      readonly type: 'PaymentCompleted';
      readonly paymentId: string;
      readonly amount: number;
      readonly currency: string;
    }
  | { readonly type: 'PaymentDeclined'; readonly reason: string }
  | {
      readonly type: 'PaymentRefunded';
      readonly paymentId: string;
      readonly amount: number;
      readonly currency: string;
    }
  | { readonly type: 'OrderShipped'; readonly shipmentId: string; readonly trackingNumber: string }
  | { readonly type: 'ShipmentFailed'; readonly reason: string }
  | { readonly type: 'PaymentDeadlinePassed' }
  | { readonly type: 'ShippingDeadlinePassed' }
  /** The refund did not come back in time, and attempts are left. */
  | { readonly type: 'RefundDeadlinePassed' }
  /** The last attempt's refund did not come back in time either. */
  | { readonly type: 'RefundAttemptsExhausted' };

export type SagaMessageType = SagaMessage['type'];
type MessageOf<T extends SagaMessageType> = Extract<SagaMessage, { type: T }>;

export type OrderChanges = Partial<
  Pick<
    Order,
    | 'paymentId'
    | 'shipmentId'
    | 'trackingNumber'
    | 'cancelReason'
    | 'refundAttempts'
    | 'cancellationAnnounced'
  >
>;

/** What an order can wait for, each under a deadline of its own. */
export type Awaited = 'payment' | 'shipment' | 'refund';

export const PAYMENT_TIMEOUT = 'payment timeout';
export const SHIPPING_TIMEOUT = 'shipping timeout';
export const CANCELLED_BEFORE_PAYMENT = 'order cancelled before the payment arrived';
export const SHIPPED_AFTER_CANCELLATION = 'shipped after the order was cancelled';

interface Step {
  readonly changes?: OrderChanges;
  readonly messages?: OutgoingMessage[];
  /** Why, in words, for the order's history. */
  readonly note?: string;
  /** Waits anew in the same state (a retry); a change of state always does. */
  readonly restartsDeadline?: boolean;
  /**
   * What the order waits for from now, where its state alone does not say:
   * a CANCELLED order waits for the refund of a late charge, then for nothing.
   */
  readonly awaits?: Awaited | null;
}

interface Transition<T extends SagaMessageType = SagaMessageType> {
  readonly from: OrderStatus;
  readonly on: T;
  readonly to: OrderStatus;
  readonly effect: (order: Order, message: MessageOf<T>) => Step;
}

function when<T extends SagaMessageType>(
  from: OrderStatus,
  on: T,
  to: OrderStatus,
  effect: (order: Order, message: MessageOf<T>) => Step = () => ({}),
): Transition {
  return { from, on, to, effect } as Transition;
}

const { Pending, Paid, Completed, Refunding, RefundStalled, Cancelled } = OrderStatus;

/**
 * The order saga, top to bottom, as docs/saga.md draws it. A (state, message)
 * pair that is not here does not fit the order: it is ignored, and recorded as
 * such. An effect that comes after the saga moved on (a charge, a shipment)
 * has a row of its own that undoes it.
 */
export const orderSaga: readonly Transition[] = [
  when(Pending, 'PaymentCompleted', Paid, (order, paid) => ({
    changes: { paymentId: paid.paymentId },
    messages: [shipOrder(order)],
  })),
  when(Pending, 'PaymentDeclined', Cancelled, (order, declined) => cancel(order, declined.reason)),
  when(Pending, 'PaymentDeadlinePassed', Cancelled, (order) => cancel(order, PAYMENT_TIMEOUT)),

  when(Paid, 'OrderShipped', Completed, (order, shipped) => ({
    changes: { shipmentId: shipped.shipmentId, trackingNumber: shipped.trackingNumber },
    messages: [outgoing(OrderCompleted, { orderId: order.id, customerId: order.customerId })],
  })),
  when(Paid, 'ShipmentFailed', Refunding, (order, failed) => refund(order, failed.reason)),
  when(Paid, 'ShippingDeadlinePassed', Refunding, (order) => refund(order, SHIPPING_TIMEOUT)),

  when(Refunding, 'PaymentRefunded', Cancelled, (order) => announceCancellation(order)),
  // Payments refunds a payment once however often it is asked: asking again is safe.
  when(Refunding, 'RefundDeadlinePassed', Refunding, (order) => ({
    ...refund(order, order.cancelReason ?? 'refunded'),
    restartsDeadline: true,
  })),
  when(Refunding, 'RefundAttemptsExhausted', RefundStalled, (order) => stall(order)),
  // The shipping deadline passed, the refund is under way, and then the parcel went out.
  when(Refunding, 'OrderShipped', Refunding, (order, shipped) => recall(order, shipped)),

  // Parked, and still waiting: a refund that comes back ends it as it would have (a late
  // charge's order was cancelled already, and its customer told so).
  when(RefundStalled, 'PaymentRefunded', Cancelled, (order) => announceCancellation(order)),
  when(RefundStalled, 'OrderShipped', RefundStalled, (order, shipped) => recall(order, shipped)),

  // No customer pays for an order they will not get: a charge that comes too late is
  // refunded, and that refund is waited for, asked again and parked as any other.
  when(Cancelled, 'PaymentCompleted', Cancelled, (order, paid) => ({
    ...refundLateCharge({ ...order, paymentId: paid.paymentId }, paid.amount, paid.currency),
    awaits: 'refund',
  })),
  when(Cancelled, 'RefundDeadlinePassed', Cancelled, (order) => ({
    ...refundLateCharge(order, order.total, order.currency),
    awaits: 'refund',
  })),
  when(Cancelled, 'RefundAttemptsExhausted', RefundStalled, (order) => stall(order)),
  // The refund of such a late charge: nothing left to wait for.
  when(Cancelled, 'PaymentRefunded', Cancelled, () => ({ awaits: null })),
  // No customer keeps goods they were refunded for: a shipment that comes too late is recalled.
  when(Cancelled, 'OrderShipped', Cancelled, (order, shipped) => recall(order, shipped)),
];

export type SagaDecision =
  | {
      readonly applied: true;
      readonly from: OrderStatus;
      readonly to: OrderStatus;
      readonly changes: OrderChanges;
      readonly messages: readonly OutgoingMessage[];
      readonly note: string | null;
      /** Whether the order waits anew from now: it changed state, or is retrying. */
      readonly restartsDeadline: boolean;
      /** What it then waits for, if it does. */
      readonly awaits: Awaited | null;
    }
  | { readonly applied: false; readonly reason: string };

/** Given an order and a message, what the saga does. Pure: no clock, no I/O. */
export function decide(order: Order, message: SagaMessage): SagaDecision {
  const transition = orderSaga.find((row) => row.from === order.status && row.on === message.type);
  if (!transition) {
    return { applied: false, reason: `${message.type} does not apply to a ${order.status} order` };
  }
  const step = transition.effect(order, message as never);
  return {
    applied: true,
    from: transition.from,
    to: transition.to,
    changes: step.changes ?? {},
    messages: step.messages ?? [],
    note: step.note ?? null,
    restartsDeadline:
      transition.from !== transition.to ||
      step.restartsDeadline === true ||
      step.awaits !== undefined,
    awaits: step.awaits !== undefined ? step.awaits : awaitedIn(transition.to),
  };
}

export interface SagaTimeouts {
  readonly paymentTimeoutMs: number;
  readonly shippingTimeoutMs: number;
  readonly refundTimeoutMs: number;
}

/** What an order in `status` waits for, by its state alone. */
function awaitedIn(status: OrderStatus): Awaited | null {
  if (status === Pending) return 'payment';
  if (status === Paid) return 'shipment';
  if (status === Refunding) return 'refund';
  return null;
}

/** When an order waiting for `awaited` since `since` stops waiting; null when it waits for nothing. */
export function deadlineAfter(
  awaited: Awaited | null,
  since: Date,
  timeouts: SagaTimeouts,
): Date | null {
  const after = (ms: number) => new Date(since.getTime() + ms);
  if (awaited === 'payment') return after(timeouts.paymentTimeoutMs);
  if (awaited === 'shipment') return after(timeouts.shippingTimeoutMs);
  if (awaited === 'refund') return after(timeouts.refundTimeoutMs);
  return null;
}

/** When an order in `status` stops waiting, or null when it waits for nothing. */
export function deadlineFor(status: OrderStatus, since: Date, timeouts: SagaTimeouts): Date | null {
  return deadlineAfter(awaitedIn(status), since, timeouts);
}

/**
 * The message standing for an order's deadline passing, or null when its
 * state has none. A refund is sent at most `refundAttempts` times in all.
 */
export function deadlineMessage(order: Order, refundAttempts: number): SagaMessage | null {
  if (order.status === Pending) return { type: 'PaymentDeadlinePassed' };
  if (order.status === Paid) return { type: 'ShippingDeadlinePassed' };
  // A CANCELLED order with a deadline waits for the refund of a late charge.
  const lateRefund = order.status === Cancelled && order.paymentId !== null;
  if (order.status === Refunding || lateRefund) {
    return order.refundAttempts < refundAttempts
      ? { type: 'RefundDeadlinePassed' }
      : { type: 'RefundAttemptsExhausted' };
  }
  return null;
}

function shipOrder(order: Order): OutgoingMessage {
  return outgoing(ShipOrder, {
    orderId: order.id,
    customerId: order.customerId,
    items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
    address: order.address,
  });
}

function cancelled(order: Order, reason: string): OutgoingMessage {
  return outgoing(OrderCancelled, { orderId: order.id, customerId: order.customerId, reason });
}

function cancel(order: Order, reason: string): Step {
  return {
    changes: { cancelReason: reason, cancellationAnnounced: true },
    messages: [cancelled(order, reason)],
  };
}

/** A refunded order is cancelled; its customer is told, unless they were when it was cancelled. */
function announceCancellation(order: Order): Step {
  if (order.cancellationAnnounced) return {};
  return {
    changes: { cancellationAnnounced: true },
    messages: [cancelled(order, order.cancelReason ?? 'refunded')],
  };
}

function stall(order: Order): Step {
  return {
    note: `no PaymentRefunded after ${order.refundAttempts} RefundPayment(s): refund by hand`,
  };
}

/** The refund of a charge that came after the order was cancelled: the order stays CANCELLED. */
function refundLateCharge(order: Order, amount: number, currency: string): Step {
  if (!order.paymentId) throw new Error(`order ${order.id} has no late charge to refund`);
  return {
    changes: { paymentId: order.paymentId, refundAttempts: order.refundAttempts + 1 },
    messages: [
      outgoing(RefundPayment, {
        orderId: order.id,
        paymentId: order.paymentId,
        amount,
        currency,
        reason: CANCELLED_BEFORE_PAYMENT,
      }),
    ],
  };
}

function refund(order: Order, reason: string): Step {
  if (!order.paymentId) throw new Error(`order ${order.id} is ${order.status} without a payment`);
  return {
    changes: { cancelReason: reason, refundAttempts: order.refundAttempts + 1 },
    messages: [
      outgoing(RefundPayment, {
        orderId: order.id,
        paymentId: order.paymentId,
        amount: order.total,
        currency: order.currency,
        reason,
      }),
    ],
  };
}

function recall(order: Order, shipped: MessageOf<'OrderShipped'>): Step {
  return {
    changes: { shipmentId: shipped.shipmentId },
    messages: [
      outgoing(RecallShipment, {
        orderId: order.id,
        shipmentId: shipped.shipmentId,
        reason: SHIPPED_AFTER_CANCELLATION,
      }),
    ],
  };
}
