import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

const SHIPPING_TIMEOUT_MS = 1_500;
/** The carrier takes longer than orders waits: the parcel goes out after the order gave up. */
const CARRIER_LATENCY_MS = 3_500;

describe('the shipping deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        orders: {
          ORDERS_SHIPPING_TIMEOUT_MS: String(SHIPPING_TIMEOUT_MS),
          ORDERS_DEADLINE_SWEEP_MS: '200',
        },
        shipping: { SHIPPING_PROVIDER_LATENCY_MS: String(CARRIER_LATENCY_MS) },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('refunds and cancels a paid order not shipped in time, then recalls the late shipment and sends the customer a correction', async () => {
    const placed = await platform.placeOrder(anOrderRequest());

    const cancelled = await platform.orderReaches(placed.id, 'CANCELLED', { timeoutMs: 15_000 });
    expect(cancelled.cancelReason).toBe('shipping timeout');
    expect(
      cancelled.history.slice(0, 4).map((step) => [step.from, step.to, step.messageType]),
    ).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShippingDeadlinePassed'],
      ['REFUNDING', 'CANCELLED', 'PaymentRefunded'],
    ]);

    // The carrier comes back with the parcel sent: shipping is asked to bring it back.
    const [recalled] = await eventually(
      async () => {
        const shipments = await platform.shipmentsOf(placed.id);
        expect(shipments).toMatchObject([{ status: 'RECALLED' }]);
        return shipments;
      },
      { timeoutMs: 20_000, what: 'the late shipment recalled' },
    );
    expect(recalled).toMatchObject({ recallReason: 'shipped after the order was cancelled' });

    const order = await platform.order(placed.id);
    expect(order.status).toBe('CANCELLED');
    expect(order.ignoredMessages).toEqual([]);
    expect(order.history.at(-1)).toMatchObject({
      from: 'CANCELLED',
      to: 'CANCELLED',
      messageType: 'OrderShipped',
    });
    expect(order.shipmentId).toBe(recalled?.id);

    // Exactly one refund, of the whole payment.
    const payments = await platform.paymentsOf(placed.id);
    expect(payments).toMatchObject([
      { status: 'REFUNDED', refund: { amount: 2_500, reason: 'shipping timeout' } },
    ]);

    // Told "cancelled", then "on its way", then the correction that takes it back.
    const told = await eventually(async () => {
      const notifications = await platform.notificationsOf({ orderId: placed.id });
      expect(notifications.map((n) => n.eventType)).toContain('ShipmentRecalled');
      return notifications;
    });
    expect(told.map((n) => n.eventType).sort()).toEqual([
      'OrderCancelled',
      'OrderPlaced',
      'OrderShipped',
      'ShipmentRecalled',
    ]);
    const correction = told.find((n) => n.eventType === 'ShipmentRecalled');
    expect(correction?.subject).toBe('Correction: your order is not on its way');
    expect(correction?.body).toContain(recalled?.trackingNumber ?? 'no tracking number');
  });
});
