import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { APPS, anOrderRequest, Platform } from './platform.js';

describe('NATS down while orders come in', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ flowView: {} });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  it('keeps every app and the flow view ready, reporting NATS down, accepts orders, and they complete once NATS is back', async () => {
    await platform.nats.stop();
    for (const app of APPS) {
      const [replica] = platform.replicas(app);
      await eventually(async () => {
        const { code, body } = await replica!.readiness();
        expect(code, app).toBe(200);
        expect(body.status, app).toBe('degraded');
        expect(body.checks, app).toContainEqual(
          expect.objectContaining({ name: 'nats', ok: false, required: false }),
        );
        expect(body.checks, app).toContainEqual(
          expect.objectContaining({ name: 'database', ok: true, required: true }),
        );
      });
    }
    await eventually(async () => {
      const { code, body } = await platform.flowView.readiness();
      expect(code, 'flow view').toBe(200);
      expect(body.checks).toEqual([expect.objectContaining({ name: 'nats', ok: false })]);
    });
    const placed = [];
    for (let i = 0; i < 5; i += 1) placed.push(await platform.placeOrder(anOrderRequest()));
    for (const order of placed) expect((await platform.order(order.id)).status).toBe('PENDING');

    await platform.nats.resume();
    for (const order of placed) {
      await platform.orderReaches(order.id, 'COMPLETED', { timeoutMs: 60_000 });
    }
    for (const app of APPS) await platform.replicas(app)[0]!.connected();
    await platform.flowView.connected();
  });
});
