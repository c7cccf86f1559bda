import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderRequest, Platform } from './platform.js';

describe('HTTP hardening', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({
      replicas: { payments: 0, shipping: 0, notifications: 0 },
      env: { orders: { ORDERS_RATE_LIMIT: '3', ORDERS_RATE_LIMIT_WINDOW_MS: '60000' } },
    });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('answers 429 with a JSON body once a client passes the POST /orders limit, and still serves reads', async () => {
    const accepted = [];
    for (let i = 0; i < 3; i += 1) accepted.push(await platform.placeOrder(anOrderRequest()));

    const refused = await platform.http('orders').post('/orders').send(anOrderRequest());

    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await platform.http('orders').get(`/orders/${accepted[0]!.id}`)).status).toBe(200);
  });

  it('keeps an idle keep-alive connection open past the usual 5 s, so a pooling client can reuse it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { baseUrl } = platform.replicas('orders')[0]!;
    const get = () =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(`${baseUrl}/health/live`, { agent }, (response) => {
          response.resume();
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, socket: req.socket }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const second = await get();

      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('sends the usual security headers and grants no cross-origin access by default', async () => {
    const response = await platform
      .http('orders')
      .get('/orders')
      .set('Origin', 'https://elsewhere.example');

    expect(response.status).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
