import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { Scrape } from '../support/prometheus.js';
import { anOrderRequest, Platform } from './platform.js';

const REFUND_TIMEOUT_MS = 1_000;
const REFUND_ATTEMPTS = 2;
const STALLED = 'orders_refund_stalled_orders';

describe('the refund deadline', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      // Shipping starts once the order is paid and payments is gone.
      replicas: { shipping: 0 },
      env: {
        orders: {
          ORDERS_REFUND_TIMEOUT_MS: String(REFUND_TIMEOUT_MS),
          ORDERS_REFUND_ATTEMPTS: String(REFUND_ATTEMPTS),
          ORDERS_DEADLINE_SWEEP_MS: '200',
        },
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  const stalledOrders = async () =>
    (await Scrape.of(platform.replicas('orders')[0]!.adminUrl)).value(STALLED);

  it('asks again for a refund that does not come back, parks the order for an operator, and cancels it once the refund comes', async () => {
    const placed = await platform.placeOrder(anOrderRequest({ country: 'ZZ' }));
    await platform.orderReaches(placed.id, 'PAID');
    // Payments goes away with the order paid: no RefundPayment gets an answer.
    await platform.stop('payments');
    await platform.startReplica('shipping');
    expect(await stalledOrders()).toBe(0);

    const parked = await platform.orderReaches(placed.id, 'REFUND_STALLED', { timeoutMs: 15_000 });
    expect(parked.history.map((step) => [step.from, step.to, step.messageType])).toEqual([
      [null, 'PENDING', 'PlaceOrder'],
      ['PENDING', 'PAID', 'PaymentCompleted'],
      ['PAID', 'REFUNDING', 'ShipmentFailed'],
      ['REFUNDING', 'REFUNDING', 'RefundDeadlinePassed'],
      ['REFUNDING', 'REFUND_STALLED', 'RefundAttemptsExhausted'],
    ]);
    expect(parked.history.at(-1)).toMatchObject({
      note: `no PaymentRefunded after ${REFUND_ATTEMPTS} RefundPayment(s): refund by hand`,
    });
    expect(await stalledOrders()).toBe(1);
    // Logged once committed, by an event handler: the line may follow the answer by a moment.
    await eventually(() =>
      expect(platform.logs('orders')).toMatch(
        new RegExp(`order ${placed.id}: REFUNDING -> REFUND_STALLED .*parked for an operator`),
      ),
    );
    // Parked, it waits for a person: no more attempts, however long it waits.
    await sleep(REFUND_TIMEOUT_MS * 2);
    expect((await platform.order(placed.id)).history).toHaveLength(parked.history.length);

    // Payments comes back and finds every RefundPayment sent: it refunds once, answers each.
    await platform.startReplica('payments');
    const cancelled = await platform.orderReaches(placed.id, 'CANCELLED', { timeoutMs: 20_000 });
    expect(cancelled.cancelReason).toBe('shipping to ZZ is not supported');
    expect(cancelled.history.at(5)).toMatchObject({
      from: 'REFUND_STALLED',
      to: 'CANCELLED',
      messageType: 'PaymentRefunded',
    });
    const [payment] = await platform.paymentsOf(placed.id);
    expect(payment).toMatchObject({ status: 'REFUNDED', refund: { amount: 2_500 } });
    const [refunds] = await platform.databases.payments.query<{ count: string }>(
      'SELECT count(*) FROM refunds',
    );
    expect(Number(refunds?.count)).toBe(1);
    expect(await stalledOrders()).toBe(0);
    // Each RefundPayment sent reached payments: as many as the attempts, and no more.
    await eventually(async () => {
      const [asked] = await platform.databases.payments.query<{ count: string }>(
        `SELECT count(*) FROM inbox WHERE message_type = 'RefundPayment'`,
      );
      expect(Number(asked?.count)).toBe(REFUND_ATTEMPTS);
    });
    await eventually(async () => {
      const told = (await platform.notificationsOf({ orderId: placed.id })).map(
        (notification) => notification.eventType,
      );
      expect(told.filter((type) => type === 'OrderCancelled')).toHaveLength(1);
    });
  });
});
