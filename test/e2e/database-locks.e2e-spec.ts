import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockTable } from '../support/table-lock.js';
import { Wire } from '../support/wire.js';
import { anOrderRequest, Platform } from './platform.js';

const LOCK_TIMEOUT_MS = 1_000;
const LOCK_HELD_MS = 8_000;

describe('orders while a table it needs is locked', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      env: { orders: { DATABASE_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) } },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('answers 503 with Retry-After within the lock timeout, holds its messages without spending their attempts, and catches up once the lock is gone', async () => {
    const before = await platform.placeOrder(anOrderRequest());
    const lock = await lockTable(platform.databases.orders.url, 'orders');
    // Released on a clock of its own: a request that waits for the lock still ends.
    const released = new Promise((resolve) => setTimeout(resolve, LOCK_HELD_MS)).then(() =>
      lock.release(),
    );

    const started = Date.now();
    const placing = await platform.http('orders').post('/orders').send(anOrderRequest());
    const answeredInMs = Date.now() - started;
    expect(placing.status, JSON.stringify(placing.body)).toBe(503);
    expect(placing.headers['retry-after']).toBe('5');
    expect(placing.body).toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
    // Well before the lock goes away: the request did not wait for it.
    expect(answeredInMs).toBeLessThan(LOCK_HELD_MS / 2);
    expect((await platform.http('orders').get('/health/live')).status).toBe(200);
    // Meanwhile the saga's next steps for the order placed before reach orders.
    await released;

    await platform.orderReaches(before.id, 'COMPLETED');
    const after = await platform.placeOrder(anOrderRequest());
    await platform.orderReaches(after.id, 'COMPLETED');
    const wire = await Wire.connect(platform.nats.url);
    try {
      expect(await wire.streamMessageCount('DEADLETTERS')).toBe(0);
    } finally {
      await wire.connection.close();
    }
  });
});
