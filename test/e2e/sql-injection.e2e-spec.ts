import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderRequest, APPS, type AppName, Platform } from './platform.js';

/** What an attacker puts where an id or a filter goes. */
const INJECTIONS: readonly string[] = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '1; DROP TABLE orders',
  "'; DROP TABLE orders; --",
  '%',
  '_',
  '\\',
  "\\'",
  '"',
  '*',
  'NULL',
  '00000000-0000-0000-0000-000000000000; DROP TABLE orders',
  "6f1c2a4e-0b7d-4a51-9a5e-2f0c8a9d1e11' OR '1'='1",
  'Ω≈ç√ 💥 \u202e',
  '\u0000',
  'x'.repeat(10_000),
];

/** Every read endpoint, and each place input reaches it. */
const FILTERS: ReadonlyArray<{ app: AppName; path: string; param: string; free?: boolean }> = [
  { app: 'orders', path: '/orders', param: 'customerId' },
  { app: 'orders', path: '/orders', param: 'status' },
  { app: 'orders', path: '/orders', param: 'limit' },
  // An opaque cursor: a free string to the schema, decoded and checked before any SQL.
  { app: 'orders', path: '/orders', param: 'cursor' },
  { app: 'payments', path: '/payments', param: 'orderId' },
  { app: 'shipping', path: '/shipments', param: 'orderId' },
  { app: 'notifications', path: '/notifications', param: 'orderId' },
  { app: 'notifications', path: '/notifications', param: 'customerId' },
  { app: 'notifications', path: '/notifications', param: 'limit' },
];
const ITEMS: ReadonlyArray<{ app: AppName; path: string }> = [
  { app: 'orders', path: '/orders/' },
  { app: 'payments', path: '/payments/' },
  { app: 'shipping', path: '/shipments/' },
];

describe('injection strings in every filter and path parameter', () => {
  let platform: Platform;
  let victim: string;

  beforeAll(async () => {
    platform = await Platform.start();
    // Someone else's data, which no injection may reveal.
    const order = await platform.placeOrder(anOrderRequest());
    victim = order.id;
    await platform.orderReaches(victim, 'COMPLETED');
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  async function counts(): Promise<Record<string, number>> {
    const count = async (app: AppName, table: string) => {
      const [row] = await platform.databases[app].query<{ n: string }>(
        `SELECT count(*) AS n FROM ${table}`,
      );
      return Number(row?.n);
    };
    return {
      orders: await count('orders', 'orders'),
      payments: await count('payments', 'payments'),
      shipments: await count('shipping', 'shipments'),
      notifications: await count('notifications', 'notifications'),
    };
  }

  it('answers every injection in a filter with 400, never a 5xx, and never with anyone’s data', async () => {
    const before = await counts();
    for (const filter of FILTERS) {
      // Alone, and next to a valid filter (notifications needs one of orderId or customerId).
      const companions =
        filter.app === 'notifications' && filter.param === 'limit' ? [{ orderId: victim }] : [{}];
      for (const value of [...INJECTIONS, [victim, "' OR 1=1 --"]]) {
        for (const companion of companions) {
          const response = await platform
            .http(filter.app)
            .get(filter.path)
            .query({ ...companion, [filter.param]: value });
          const where = `${filter.path}?${filter.param}=${String(value).slice(0, 40)}`;
          expect(response.status, where).toBe(400);
          expect(typeof response.body.message, where).toBe('string');
          expect(JSON.stringify(response.body), where).not.toContain(victim.slice(0, 8) + '-');
        }
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('answers every injection in a path parameter with 400 or 404, never a 5xx, and never with anyone’s data', async () => {
    for (const item of ITEMS) {
      for (const value of INJECTIONS) {
        const response = await platform
          .http(item.app)
          .get(`${item.path}${encodeURIComponent(value)}`);
        const where = `${item.path}${value.slice(0, 40)}`;
        expect([400, 404], where).toContain(response.status);
        expect(typeof response.body.message, where).toBe('string');
        expect(JSON.stringify(response.body), where).not.toContain(victim);
      }
    }
    for (const app of APPS) {
      for (const value of ['1 OR 1=1', "1'; DROP TABLE inbox; --", '%', '\\']) {
        const response = await platform
          .admin(app)
          .post(`/dead-letters/${encodeURIComponent(value)}/replay`);
        expect(response.status, `${app} replay ${value}`).toBe(400);
      }
    }
  });

  it('leaves every table intact and the victim’s order readable afterwards', async () => {
    const tables = await platform.databases.orders.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['inbox', 'order_history', 'orders', 'outbox']),
    );
    expect(await counts()).toEqual({ orders: 1, payments: 1, shipments: 1, notifications: 3 });
    expect((await platform.order(victim)).status).toBe('COMPLETED');
    expect(await platform.paymentsOf(victim)).toHaveLength(1);
  });
});
