import { expect } from 'vitest';
import {
  customerToldOnce,
  customerToldOnceOf,
  needsTimelyPayment,
  needsTimelySaga,
  orderReaches,
  orderRecords,
} from '../flow.js';
import type { Flow } from '../flow.js';
import { step } from '../step.js';

const history = (order: {
  history: Array<{ from: string | null; to: string | null; messageType: string }>;
}) => order.history.map((s) => [s.from, s.to, s.messageType]);

export const orderCompletes: Flow = {
  name: 'an order completes with one payment, one shipment and each step told to the customer once',
  smoke: true,
  unsupportedBy: needsTimelySaga,
  async run(shop) {
    const bound = shop.target.stepTimeoutMs;
    const customer = await shop.newCustomer();
    const placed = (await customer.placeOrder()).body;
    expect(placed).toMatchObject({ status: 'PENDING', total: 2_500, customerId: customer.id });

    await orderRecords(customer, placed.id, 'PaymentCompleted', 'payment completed', bound);
    const order = await orderReaches(customer, placed.id, 'COMPLETED', 'order shipped', bound);
    expect(history(order)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'COMPLETED', 'OrderShipped'],
    ]);

    expect(await customer.paymentsOf(placed.id)).toMatchObject([
      { id: order.paymentId, amount: 2_500, status: 'COMPLETED', refund: null },
    ]);
    expect(await customer.shipmentsOf(placed.id)).toMatchObject([
      { id: order.shipmentId, status: 'SHIPPED', trackingNumber: order.trackingNumber },
    ]);
    await customerToldOnce(
      customer,
      placed.id,
      ['OrderPlaced', 'OrderShipped', 'OrderCompleted'],
      bound,
    );

    const completed = await customer.orders({ status: 'COMPLETED' });
    expect(completed.items.map((o) => o.id)).toEqual([placed.id]);
    expect((await customer.orders({ status: 'PENDING' })).items).toEqual([]);
  },
};

export const orderDeclined: Flow = {
  name: 'an order above the decline limit is cancelled, with nothing charged or shipped',
  unsupportedBy: needsTimelyPayment,
  async run(shop) {
    const bound = shop.target.stepTimeoutMs;
    const customer = await shop.newCustomer();
    const body = customer.anOrder({ quantity: 1, unitPrice: shop.target.declineAbove + 1 });
    const placed = (await customer.placeOrder(body)).body;

    const order = await orderReaches(customer, placed.id, 'CANCELLED', 'payment declined', bound);
    expect(history(order)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'CANCELLED', 'PaymentDeclined'],
    ]);
    expect(order.cancelReason).toMatch(/above the limit/);
    expect(await customer.paymentsOf(placed.id)).toMatchObject([{ status: 'DECLINED' }]);
    await customerToldOnce(
      customer,
      placed.id,
      ['OrderPlaced', 'PaymentDeclined', 'OrderCancelled'],
      bound,
    );
    expect(await customer.shipmentsOf(placed.id)).toEqual([]);
  },
};

export const orderRefunded: Flow = {
  name: 'an order that cannot be shipped is refunded in full and cancelled',
  unsupportedBy: needsTimelySaga,
  async run(shop) {
    const bound = shop.target.stepTimeoutMs;
    const country = shop.target.unshippableCountry;
    const customer = await shop.newCustomer();
    const placed = (await customer.placeOrder(customer.anOrder({ country }))).body;

    const order = await orderReaches(customer, placed.id, 'CANCELLED', 'payment refunded', bound);
    expect(history(order)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShipmentFailed'],
      ['REFUNDING', 'CANCELLED', 'PaymentRefunded'],
    ]);
    expect(order.cancelReason).toBe(`shipping to ${country} is not supported`);
    expect(await customer.paymentsOf(placed.id)).toMatchObject([
      {
        status: 'REFUNDED',
        refund: { amount: 2_500, reason: `shipping to ${country} is not supported` },
      },
    ]);
    expect(await customer.shipmentsOf(placed.id)).toMatchObject([
      { status: 'FAILED', trackingNumber: null },
    ]);
    await customerToldOnceOf(customer, placed.id, 'OrderCancelled', bound);
  },
};

export const paymentTimeout: Flow = {
  name: 'an order not paid by the payment deadline is cancelled, and its late charge refunded',
  unsupportedBy: (target) =>
    target.paymentTimeoutMs === undefined
      ? 'needs a target whose payments are slower than its payment deadline (FLOWS_PAYMENT_TIMEOUT_MS)'
      : undefined,
  async run(shop) {
    const deadline = shop.target.paymentTimeoutMs ?? 0;
    const bound = deadline + shop.target.stepTimeoutMs;
    const customer = await shop.newCustomer();
    const placed = (await customer.placeOrder()).body;

    const order = await orderReaches(
      customer,
      placed.id,
      'CANCELLED',
      'cancelled at the payment deadline',
      bound,
    );
    expect(order.cancelReason).toBe('payment timeout');
    expect(history(order).slice(0, 2)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'CANCELLED', 'PaymentDeadlinePassed'],
    ]);
    const [refunded] = await step('late charge refunded', bound, async () => {
      const payments = await customer.paymentsOf(placed.id);
      if (payments.length !== 1 || payments[0]?.status !== 'REFUNDED')
        throw new Error(`payments: ${JSON.stringify(payments)}`);
      return payments;
    });
    expect(refunded).toMatchObject({ amount: 2_500, refund: { amount: 2_500 } });
    const settled = await orderRecords(
      customer,
      placed.id,
      'PaymentRefunded',
      'refund recorded on the order',
      bound,
    );
    expect(settled.status).toBe('CANCELLED');
    expect(history(settled)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'CANCELLED', 'PaymentDeadlinePassed'],
      ['CANCELLED', 'CANCELLED', 'PaymentCompleted'],
      ['CANCELLED', 'CANCELLED', 'PaymentRefunded'],
    ]);
    expect(await customer.shipmentsOf(placed.id)).toEqual([]);
    await customerToldOnceOf(customer, placed.id, 'OrderCancelled', bound);
  },
};

export const shippingTimeout: Flow = {
  name: 'a paid order not shipped by the shipping deadline is refunded and cancelled, and its late shipment recalled with a correction',
  unsupportedBy: (target) =>
    needsTimelyPayment(target) ??
    (target.shippingTimeoutMs === undefined
      ? 'needs a target whose shipping is slower than its shipping deadline (FLOWS_SHIPPING_TIMEOUT_MS)'
      : undefined),
  async run(shop) {
    const deadline = shop.target.shippingTimeoutMs ?? 0;
    const bound = deadline + shop.target.stepTimeoutMs;
    const customer = await shop.newCustomer();
    const placed = (await customer.placeOrder()).body;

    const cancelled = await orderReaches(
      customer,
      placed.id,
      'CANCELLED',
      'refunded at the shipping deadline',
      bound,
    );
    expect(cancelled.cancelReason).toBe('shipping timeout');
    expect(history(cancelled).slice(0, 4)).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShippingDeadlinePassed'],
      ['REFUNDING', 'CANCELLED', 'PaymentRefunded'],
    ]);
    expect(await customer.paymentsOf(placed.id)).toMatchObject([
      { status: 'REFUNDED', refund: { amount: 2_500, reason: 'shipping timeout' } },
    ]);

    // The carrier sends the parcel after all: shipping is asked to bring it back.
    const [recalled] = await step('late shipment recalled', bound, async () => {
      const shipments = await customer.shipmentsOf(placed.id);
      if (shipments.length !== 1 || shipments[0]?.status !== 'RECALLED')
        throw new Error(`shipments: ${JSON.stringify(shipments)}`);
      return shipments;
    });
    const order = await customer.order(placed.id);
    expect(order.status).toBe('CANCELLED');
    expect(order.shipmentId).toBe(recalled?.id);
    expect(history(order).at(-1)).toEqual(['CANCELLED', 'CANCELLED', 'OrderShipped']);

    // Told "cancelled", then "on its way", then the correction that takes it back.
    await customerToldOnce(
      customer,
      placed.id,
      ['OrderPlaced', 'OrderCancelled', 'OrderShipped', 'ShipmentRecalled'],
      bound,
    );
    const correction = (await customer.notificationsOf(placed.id)).find(
      (n) => n.eventType === 'ShipmentRecalled',
    );
    expect(correction?.subject).toBe('Correction: your order is not on its way');
    expect(correction?.body).toContain(recalled?.trackingNumber ?? 'no tracking number');
  },
};
