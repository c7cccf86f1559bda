import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderRequest, Platform } from './platform.js';

describe('NATS down while orders come in', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('still accepts orders, and they complete once NATS is back', async () => {
    await platform.nats.stop();
    const placed = [];
    for (let i = 0; i < 5; i += 1) placed.push(await platform.placeOrder(anOrderRequest()));
    for (const order of placed) expect((await platform.order(order.id)).status).toBe('PENDING');

    await platform.nats.resume();
    for (const order of placed) {
      await platform.orderReaches(order.id, 'COMPLETED', { timeoutMs: 60_000 });
    }
  });
});
