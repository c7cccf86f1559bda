import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

const DECLINE_ABOVE = 100_000;

describe('the order saga across the four services', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        payments: { PAYMENTS_DECLINE_ABOVE: String(DECLINE_ABOVE) },
        shipping: { SHIPPING_COUNTRIES: 'US,CA,GB,DE,FR,NL,JP,AU' },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('completes a valid order, with one payment, one shipment and the customer told at each step', async () => {
    const placed = await platform.placeOrder(anOrderRequest());
    expect(placed).toMatchObject({ status: 'PENDING', total: 2_500, currency: 'EUR' });

    const order = await platform.orderReaches(placed.id, 'COMPLETED');
    expect(order.history.map((step) => [step.from, step.to, step.messageType])).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'COMPLETED', 'OrderShipped'],
    ]);
    for (const step of order.history) expect(Date.parse(step.at)).not.toBeNaN();

    const payments = await platform.paymentsOf(placed.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      id: order.paymentId,
      amount: 2_500,
      status: 'COMPLETED',
      refund: null,
    });

    const shipments = await platform.shipmentsOf(placed.id);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({
      id: order.shipmentId,
      status: 'SHIPPED',
      trackingNumber: order.trackingNumber,
    });

    const notifications = await eventually(async () => {
      const found = await platform.notificationsOf({ orderId: placed.id });
      expect(found.map((n) => n.eventType).sort()).toEqual([
        'OrderCompleted',
        'OrderPlaced',
        'OrderShipped',
      ]);
      return found;
    });
    for (const notification of notifications)
      expect(notification.customerId).toBe(placed.customerId);
    expect(await platform.notificationsOf({ customerId: placed.customerId })).toHaveLength(3);
  });

  it('cancels an order above the decline limit, without shipping it', async () => {
    const placed = await platform.placeOrder(
      anOrderRequest({ quantity: 1, unitPrice: DECLINE_ABOVE + 1 }),
    );

    const order = await platform.orderReaches(placed.id, 'CANCELLED');
    expect(order.cancelReason).toMatch(/above the limit/);
    expect(order.history.map((step) => step.to)).toEqual(['PENDING', 'CANCELLED']);

    const payments = await platform.paymentsOf(placed.id);
    expect(payments).toMatchObject([{ status: 'DECLINED' }]);
    await eventually(async () => {
      const types = (await platform.notificationsOf({ orderId: placed.id }))
        .map((n) => n.eventType)
        .sort();
      expect(types).toEqual(['OrderCancelled', 'OrderPlaced', 'PaymentDeclined']);
    });
    expect(await platform.shipmentsOf(placed.id)).toEqual([]);
  });

  it('refunds and cancels a paid order to a country shipping does not serve', async () => {
    const placed = await platform.placeOrder(anOrderRequest({ country: 'ZZ' }));

    const order = await platform.orderReaches(placed.id, 'CANCELLED');
    expect(order.history.map((step) => [step.from, step.to, step.messageType])).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShipmentFailed'],
      ['REFUNDING', 'CANCELLED', 'PaymentRefunded'],
    ]);
    expect(order.cancelReason).toBe('shipping to ZZ is not supported');

    const payments = await platform.paymentsOf(placed.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: 'REFUNDED',
      refund: { amount: 2_500, reason: 'shipping to ZZ is not supported' },
    });
    expect(await platform.shipmentsOf(placed.id)).toMatchObject([
      { status: 'FAILED', trackingNumber: null },
    ]);
    await eventually(async () => {
      const cancelled = (await platform.notificationsOf({ orderId: placed.id })).filter(
        (n) => n.eventType === 'OrderCancelled',
      );
      expect(cancelled).toHaveLength(1);
    });
  });
});
