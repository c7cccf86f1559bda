import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { anOrderRequest, Platform } from './platform.js';

/** orders on a PostgreSQL server of this file's own, stopped and started again. */
describe('orders while its database is down', () => {
  let postgres: PrivatePostgres;
  let platform: Platform;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    platform = await Platform.start({
      postgresAdminUrl: postgres.adminUrl,
      replicas: { payments: 0, shipping: 0, notifications: 0 },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
    await postgres?.dispose();
  });

  it('answers 503 with Retry-After while it cannot store or read an order, and serves again once the database is back', async () => {
    const before = await platform.placeOrder(anOrderRequest());

    await postgres.stop();
    try {
      const placing = await platform.http('orders').post('/orders').send(anOrderRequest());
      expect(placing.status).toBe(503);
      expect(placing.headers['retry-after']).toBe('5');
      expect(placing.body).toMatchObject({ statusCode: 503, code: 'SERVICE.UNAVAILABLE' });
      const reading = await platform.http('orders').get(`/orders/${before.id}`);
      expect(reading.status).toBe(503);
      expect(reading.headers['retry-after']).toBe('5');
    } finally {
      await postgres.resume();
    }

    await eventually(
      async () => {
        const placing = await platform.http('orders').post('/orders').send(anOrderRequest());
        expect(placing.status).toBe(202);
      },
      { timeoutMs: 20_000, what: 'orders accepting orders again' },
    );
    expect((await platform.order(before.id)).id).toBe(before.id);
  });
});
