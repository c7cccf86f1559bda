import type {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  OrderShipped,
  PaymentDeclined,
  ShipmentRecalled,
} from '@app/contracts';

export interface Notification {
  readonly id: string;
  /** The event it tells the customer about: one notification per event, ever. */
  readonly messageId: string;
  readonly eventType: string;
  readonly orderId: string;
  /** Unknown until the order's OrderPlaced has arrived (events may come in any order). */
  readonly customerId: string | null;
  readonly channel: 'email';
  readonly subject: string;
  readonly body: string;
  readonly createdAt: Date;
}

export type CustomerEvent =
  | { readonly type: 'OrderPlaced'; readonly event: OrderPlaced }
  | { readonly type: 'PaymentDeclined'; readonly event: PaymentDeclined }
  | { readonly type: 'OrderShipped'; readonly event: OrderShipped }
  | { readonly type: 'OrderCompleted'; readonly event: OrderCompleted }
  | { readonly type: 'OrderCancelled'; readonly event: OrderCancelled }
  | { readonly type: 'ShipmentRecalled'; readonly event: ShipmentRecalled };

/** The message a customer gets for an event. */
export function composeMessage(input: CustomerEvent): { subject: string; body: string } {
  const order = input.event.orderId;
  switch (input.type) {
    case 'OrderPlaced': {
      const { total, currency, items } = input.event;
      return {
        subject: 'We received your order',
        body: `Order ${order}: ${items.length} item(s), ${formatMoney(total, currency)}. We will let you know when it ships.`,
      };
    }
    case 'PaymentDeclined':
      return {
        subject: 'Your payment was declined',
        body: `Order ${order}: ${input.event.reason}.`,
      };
    case 'OrderShipped':
      return {
        subject: 'Your order is on its way',
        body: `Order ${order} has shipped; tracking number ${input.event.trackingNumber}.`,
      };
    case 'OrderCompleted':
      return { subject: 'Your order is complete', body: `Order ${order} is complete. Thank you!` };
    case 'OrderCancelled':
      return {
        subject: 'Your order was cancelled',
        body: `Order ${order} was cancelled (${input.event.reason}). Anything charged is refunded.`,
      };
    // Sent after "on its way" for an order already cancelled: it takes that message back.
    case 'ShipmentRecalled':
      return {
        subject: 'Correction: your order is not on its way',
        body: `Order ${order} was cancelled, but a parcel (tracking number ${input.event.trackingNumber}) went out anyway. We have recalled it: please disregard our message that it is on its way. Anything charged is refunded.`,
      };
  }
}

function formatMoney(minorUnits: number, currency: string): string {
  return `${(minorUnits / 100).toFixed(2)} ${currency}`;
}

/** The customer an event names, when it names one. */
export function customerOf(input: CustomerEvent): string | null {
  return 'customerId' in input.event ? input.event.customerId : null;
}
