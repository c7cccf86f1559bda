import type { Customer, OrderView } from './storefront.js';
import type { Storefront } from './storefront.js';
import { step } from './step.js';
import type { FlowTarget } from './target.js';

/** One business flow, run against a target through its public HTTP APIs only. */
export interface Flow {
  /** What the flow proves, as a sentence: it names the flow in every report. */
  readonly name: string;
  /** Part of the quick post-deploy check (`--smoke`). */
  readonly smoke?: boolean;
  /** Why this target cannot run the flow, or undefined when it can. */
  readonly unsupportedBy?: (target: FlowTarget) => string | undefined;
  run(shop: Storefront): Promise<void>;
}

/** Flows whose orders must be paid in time: not on a target whose payments are late on purpose. */
export function needsTimelyPayment(target: FlowTarget): string | undefined {
  return target.paymentTimeoutMs === undefined
    ? undefined
    : 'the target pays after its payment deadline (FLOWS_PAYMENT_TIMEOUT_MS is set)';
}

/** Flows whose orders must be paid and shipped in time. */
export function needsTimelySaga(target: FlowTarget): string | undefined {
  return (
    needsTimelyPayment(target) ??
    (target.shippingTimeoutMs === undefined
      ? undefined
      : 'the target ships after its shipping deadline (FLOWS_SHIPPING_TIMEOUT_MS is set)')
  );
}

/** Waits until `reached` holds for the order: the step is named after what had to happen. */
function orderWhere(
  customer: Customer,
  orderId: string,
  reached: (order: OrderView) => boolean,
  what: string,
  timeoutMs: number,
): Promise<OrderView> {
  return step(what, timeoutMs, async () => {
    const order = await customer.order(orderId);
    if (!reached(order))
      throw new Error(
        `order ${orderId} is ${order.status} (${order.history.map((s) => s.messageType).join(' → ')})`,
      );
    return order;
  });
}

/** Waits for the order to reach `status`. */
export function orderReaches(
  customer: Customer,
  orderId: string,
  status: string,
  what: string,
  timeoutMs: number,
): Promise<OrderView> {
  return orderWhere(customer, orderId, (order) => order.status === status, what, timeoutMs);
}

/** Waits until the order's history records a step caused by `messageType`, whatever came after. */
export function orderRecords(
  customer: Customer,
  orderId: string,
  messageType: string,
  what: string,
  timeoutMs: number,
): Promise<OrderView> {
  const recorded = (order: OrderView) => order.history.some((s) => s.messageType === messageType);
  return orderWhere(customer, orderId, recorded, what, timeoutMs);
}

/** Waits until the customer was told of `eventType` about the order exactly once, whatever else. */
export function customerToldOnceOf(
  customer: Customer,
  orderId: string,
  eventType: string,
  timeoutMs: number,
): Promise<void> {
  return step(`customer notified of ${eventType}`, timeoutMs, async () => {
    const seen = (await customer.notificationsOf(orderId)).map((n) => n.eventType);
    if (seen.filter((type) => type === eventType).length !== 1)
      throw new Error(`notifications of order ${orderId}: [${seen.join(', ')}]`);
  });
}

/** Waits until the customer was told of exactly these events about the order, each once. */
export function customerToldOnce(
  customer: Customer,
  orderId: string,
  eventTypes: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const expected = [...eventTypes].sort();
  return step(`customer notified of ${expected.join(', ')}`, timeoutMs, async () => {
    const seen = (await customer.notificationsOf(orderId)).map((n) => n.eventType).sort();
    if (seen.join() !== expected.join())
      throw new Error(`notifications of order ${orderId}: [${seen.join(', ')}]`);
  });
}
