import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

const PAYMENT_TIMEOUT_MS = 1_500;

describe('the payment deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      replicas: { payments: 0 },
      env: {
        orders: {
          ORDERS_PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
          ORDERS_DEADLINE_SWEEP_MS: '200',
        },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('cancels an unpaid order for payment timeout, and refunds the charge that comes too late', async () => {
    const placed = await platform.placeOrder(anOrderRequest());
    await sleep(PAYMENT_TIMEOUT_MS / 2);
    expect((await platform.order(placed.id)).status).toBe('PENDING');

    const cancelled = await platform.orderReaches(placed.id, 'CANCELLED', { timeoutMs: 15_000 });
    expect(cancelled.cancelReason).toBe('payment timeout');
    expect(cancelled.history.at(-1)).toMatchObject({
      from: 'PENDING',
      to: 'CANCELLED',
      messageType: 'PaymentDeadlinePassed',
    });
    await eventually(async () => {
      const types = (await platform.notificationsOf({ orderId: placed.id })).map(
        (n) => n.eventType,
      );
      expect(types).toContain('OrderCancelled');
    });

    // Payments comes back, finds the ProcessPayment that waited for it, and charges.
    await platform.startReplica('payments');
    const refunded = await eventually(
      async () => {
        const [payment] = await platform.paymentsOf(placed.id);
        expect(payment).toMatchObject({ status: 'REFUNDED', refund: { amount: 2_500 } });
        return payment;
      },
      { timeoutMs: 20_000, what: 'the late charge refunded' },
    );
    expect(refunded?.refund?.reason).toMatch(/cancelled/);

    const order = await eventually(async () => {
      const found = await platform.order(placed.id);
      expect(found.history.map((step) => step.messageType)).toContain('PaymentRefunded');
      return found;
    });
    expect(order.status).toBe('CANCELLED');
    expect(order.history.map((step) => [step.from, step.to, step.messageType])).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'CANCELLED', 'PaymentDeadlinePassed'],
      ['CANCELLED', 'CANCELLED', 'PaymentCompleted'],
      ['CANCELLED', 'CANCELLED', 'PaymentRefunded'],
    ]);
    expect(await platform.shipmentsOf(placed.id)).toEqual([]);
  });

  it('keeps deadlines across a restart of orders', async () => {
    // Payments first: running, it could charge the order before the deadline passes.
    await platform.stop('payments');
    const placed = await platform.placeOrder(anOrderRequest());
    await platform.stop('orders');
    await sleep(PAYMENT_TIMEOUT_MS + 200);
    await platform.startReplica('orders');
    const order = await platform.orderReaches(placed.id, 'CANCELLED', { timeoutMs: 15_000 });
    expect(order.cancelReason).toBe('payment timeout');
  });
});
