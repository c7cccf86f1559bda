import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentTimeout } from '../flows/flows/order-outcomes.js';
import { registerFlows } from '../flows/register.js';
import { sleep } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

const PAYMENT_TIMEOUT_MS = 1_500;

describe('the payment deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        payments: { PAYMENTS_PROVIDER_LATENCY_MS: String(PAYMENT_TIMEOUT_MS * 2) },
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

  // Payments answers, but only after the deadline: the flow's late charge.
  registerFlows(() => platform.flowTarget({ paymentTimeoutMs: PAYMENT_TIMEOUT_MS }), {
    only: [paymentTimeout],
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
