import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../support/eventually.js';
import { anOrderRequest, inParallel, Platform } from './platform.js';

const ORDERS = 20;

describe('payments down while orders come in', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('keeps 20 orders waiting, then completes them all once payments is back', async () => {
    await platform.stop('payments');
    const placed = await inParallel(
      Array.from({ length: ORDERS }, () => anOrderRequest()),
      5,
      (body) => platform.placeOrder(body),
    );

    await sleep(1_000);
    for (const order of placed) expect((await platform.order(order.id)).status).toBe('PENDING');

    await platform.startReplica('payments');
    for (const order of placed)
      await platform.orderReaches(order.id, 'COMPLETED', { timeoutMs: 30_000 });

    const [row] = await platform.databases.payments.query<{ count: string }>(
      'SELECT count(*) FROM payments',
    );
    expect(Number(row?.count)).toBe(ORDERS);
  });
});
