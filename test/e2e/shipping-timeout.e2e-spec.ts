import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

const SHIPPING_TIMEOUT_MS = 1_500;

describe('the shipping deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      replicas: { shipping: 0 },
      env: {
        orders: {
          ORDERS_SHIPPING_TIMEOUT_MS: String(SHIPPING_TIMEOUT_MS),
          ORDERS_DEADLINE_SWEEP_MS: '200',
        },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('refunds and cancels a paid order that is not shipped in time, and records a late shipment as ignored', async () => {
    const placed = await platform.placeOrder(anOrderRequest());

    const cancelled = await platform.orderReaches(placed.id, 'CANCELLED', { timeoutMs: 15_000 });
    expect(cancelled.cancelReason).toBe('shipping timeout');
    expect(cancelled.history.map((step) => [step.from, step.to, step.messageType])).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShippingDeadlinePassed'],
      ['REFUNDING', 'CANCELLED', 'PaymentRefunded'],
    ]);
    const [payment] = await platform.paymentsOf(placed.id);
    expect(payment).toMatchObject({ status: 'REFUNDED', refund: { reason: 'shipping timeout' } });

    // Shipping comes back and handles the ShipOrder that waited: the saga no longer wants it.
    await platform.startReplica('shipping');
    const order = await eventually(async () => {
      const found = await platform.order(placed.id);
      expect(found.ignoredMessages).toHaveLength(1);
      return found;
    });
    expect(order.status).toBe('CANCELLED');
    expect(order.ignoredMessages[0]).toMatchObject({
      from: 'CANCELLED',
      to: null,
      messageType: 'OrderShipped',
      reason: 'OrderShipped does not apply to a CANCELLED order',
    });
  });
});
