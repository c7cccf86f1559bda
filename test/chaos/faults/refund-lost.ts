import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { RefundPayment } from '@app/contracts';
import { Scrape } from '../../support/prometheus.js';
import { Wire } from '../../support/wire.js';
import type { Fault } from '../fault.js';
import { provisionAsOperator, purgeSubject } from '../operator.js';

const REFUND_TIMEOUT_MS = 2_000;
const REFUND_ATTEMPTS = 3;
const CONSUMER = 'payments-RefundPayment';
/** Long enough for orders to use every attempt and be parked. */
const REFUNDS_AWAY_MS = 14_000;
const STALLED = 'orders_refund_stalled_orders';
/** What the fault saw while refunds were away. */
let seen = { lost: 0, mostStalled: 0 };

/**
 * Payments stops taking RefundPayment (its consumer deleted) and the
 * RefundPayments waiting are purged, lost: the refund deadline asks again,
 * orders out of attempts are parked REFUND_STALLED (the gauge says how many),
 * and once provisioning brings the consumer back each is refunded once and
 * cancelled.
 */
export const refundLost: Fault = {
  name: `RefundPayments lost, payments taking none for ${REFUNDS_AWAY_MS / 1_000} s (refund deadline ${REFUND_TIMEOUT_MS / 1_000} s × ${REFUND_ATTEMPTS})`,
  settings: {
    orders: {
      ORDERS_REFUND_TIMEOUT_MS: String(REFUND_TIMEOUT_MS),
      ORDERS_REFUND_ATTEMPTS: String(REFUND_ATTEMPTS),
      ORDERS_DEADLINE_SWEEP_MS: '250',
    },
  },
  inject: async (context) => {
    const { platform, notes } = context;
    const wire = await Wire.connect(platform.nats.url);
    const deletedAt = Date.now();
    try {
      await wire.deleteConsumer('COMMANDS', CONSUMER);
      // Purged before any order's last attempt is sent (two deadlines on): each still gets one.
      const purgeBy = deletedAt + REFUND_TIMEOUT_MS * 1.75;
      while (
        Date.now() < purgeBy &&
        (await wire.streamMessageCount('COMMANDS', RefundPayment.subject)) < 2
      ) {
        await sleep(100);
      }
    } finally {
      await wire.close();
    }
    const stalled = async () => {
      const orders = platform.replicas('orders')[0]!;
      return (await Scrape.of(orders.adminUrl, orders.adminHeaders)).value(STALLED);
    };
    const lost = await purgeSubject(platform, 'COMMANDS', RefundPayment.subject);
    let mostStalled = 0;
    const until = deletedAt + REFUNDS_AWAY_MS;
    while (Date.now() < until) {
      mostStalled = Math.max(mostStalled, await stalled());
      await sleep(250);
    }
    await provisionAsOperator(platform);
    notes.push(`${lost} RefundPayment lost, ${mostStalled} orders parked REFUND_STALLED`);
    seen = { lost, mostStalled };
  },
  alsoExpect: async ({ platform }) => {
    expect(seen.lost, 'RefundPayments lost').toBeGreaterThan(0);
    expect(seen.mostStalled, `${STALLED} while refunds were away`).toBeGreaterThan(0);
    expect(platform.logs('orders')).toMatch(/REFUNDING -> REFUND_STALLED .*parked for an operator/);
    const orders = platform.replicas('orders')[0]!;
    // Every parked order was refunded once it could be: none is left for an operator.
    expect((await Scrape.of(orders.adminUrl, orders.adminHeaders)).value(STALLED)).toBe(0);
  },
};
