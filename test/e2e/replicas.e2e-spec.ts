import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { anOrderRequest, inParallel, Platform } from './platform.js';

const ORDERS = 100;

describe('two replicas of payments and of notifications', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ replicas: { payments: 2, notifications: 2 } });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('charge each of 100 orders once and notify once per consumed event', async () => {
    const placed = await inParallel(
      Array.from({ length: ORDERS }, () => anOrderRequest()),
      10,
      (body) => platform.placeOrder(body),
    );

    await eventually(
      async () => {
        const [row] = await platform.databases.orders.query<{ count: string }>(
          `SELECT count(*) FROM orders WHERE status = 'COMPLETED'`,
        );
        expect(Number(row?.count)).toBe(ORDERS);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `${ORDERS} orders COMPLETED` },
    );

    const payments = await platform.databases.payments.query<{ order_id: string; count: string }>(
      'SELECT order_id, count(*) FROM payments GROUP BY order_id',
    );
    expect(payments).toHaveLength(ORDERS);
    expect(payments.every((row) => row.count === '1')).toBe(true);
    expect(new Set(payments.map((row) => row.order_id))).toEqual(
      new Set(placed.map((order) => order.id)),
    );

    // OrderPlaced, OrderShipped and OrderCompleted per order: three events, three notifications.
    const notifications = await eventually(
      async () => {
        const rows = await platform.databases.notifications.query<{
          message_id: string;
          order_id: string;
          event_type: string;
        }>('SELECT message_id, order_id, event_type FROM notifications');
        expect(rows).toHaveLength(ORDERS * 3);
        return rows;
      },
      { timeoutMs: 30_000, what: 'the notifications' },
    );
    expect(new Set(notifications.map((row) => row.message_id)).size).toBe(ORDERS * 3);
    for (const order of placed) {
      const types = notifications
        .filter((row) => row.order_id === order.id)
        .map((row) => row.event_type);
      expect(types.sort()).toEqual(['OrderCompleted', 'OrderPlaced', 'OrderShipped']);
    }

    // Each consumed event was handled once, by one replica or the other.
    const handled = await platform.databases.notifications.query<{
      consumer: string;
      count: string;
    }>('SELECT consumer, count(*) FROM inbox GROUP BY consumer ORDER BY consumer');
    expect(handled.map((row) => [row.consumer, Number(row.count)])).toEqual([
      ['notifications-OrderCompleted', ORDERS],
      ['notifications-OrderPlaced', ORDERS],
      ['notifications-OrderShipped', ORDERS],
    ]);
    // Both replicas took part: the work is shared, not merely tolerated.
    for (const replica of platform.replicas('payments')) expect(replica.logs).toMatch(/charged/);
  });
});
