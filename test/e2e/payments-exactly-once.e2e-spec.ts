import { randomUUID } from 'node:crypto';
import { ProcessPayment, RefundPayment } from '@app/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { Wire } from '../support/wire.js';
import { Platform } from './platform.js';

describe('payments on its own, driven over the wire', () => {
  let platform: Platform;
  let wire: Wire;

  beforeAll(async () => {
    platform = await Platform.start({
      replicas: { orders: 0, shipping: 0, notifications: 0, payments: 2 },
    });
    wire = await Wire.connect(platform.nats.url);
  });

  afterAll(async () => {
    await wire?.close();
    await platform?.dispose();
  });

  it('charges an order once, however many ProcessPayment commands arrive for it', async () => {
    const orderId = randomUUID();
    const command = { orderId, customerId: randomUUID(), amount: 4_200, currency: 'EUR' };
    await Promise.all(
      Array.from({ length: 5 }, () =>
        wire.publish(ProcessPayment, command, { correlationId: orderId }),
      ),
    );

    await eventually(async () => expect(await platform.paymentsOf(orderId)).toHaveLength(1));
    await sleep(500);
    const payments = await platform.paymentsOf(orderId);
    expect(payments).toMatchObject([{ amount: 4_200, status: 'COMPLETED' }]);
    const completed = await wire.storedMessages('EVENTS', 'evt.payments.PaymentCompleted');
    expect(completed.filter((message) => message.body.includes(orderId))).toHaveLength(1);
  });

  it('refunds a payment once, however many RefundPayment commands arrive for it', async () => {
    const orderId = randomUUID();
    await wire.publish(
      ProcessPayment,
      { orderId, customerId: randomUUID(), amount: 1_000, currency: 'EUR' },
      { correlationId: orderId },
    );
    const [payment] = await eventually(async () => {
      const found = await platform.paymentsOf(orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    const refund = {
      orderId,
      paymentId: payment?.id,
      amount: 1_000,
      currency: 'EUR',
      reason: 'test',
    };
    await Promise.all(
      Array.from({ length: 3 }, () =>
        wire.publish(RefundPayment, refund, { correlationId: orderId }),
      ),
    );

    await eventually(async () => {
      expect(await platform.paymentsOf(orderId)).toMatchObject([
        { status: 'REFUNDED', refund: { amount: 1_000, reason: 'test' } },
      ]);
    });
    await sleep(500);
    // Each RefundPayment is answered (a retry may follow a lost answer), always with the one refund.
    const refunded = (await wire.storedMessages('EVENTS', 'evt.payments.PaymentRefunded')).filter(
      (message) => message.body.includes(orderId),
    );
    expect(refunded).toHaveLength(3);
    expect(new Set(refunded.map((message) => message.body)).size).toBe(1);
    const [row] = await platform.databases.payments.query<{ count: string }>(
      'SELECT count(*) FROM refunds WHERE order_id = $1',
      [orderId],
    );
    expect(Number(row?.count)).toBe(1);
  });
});
