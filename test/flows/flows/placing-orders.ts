import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Flow } from '../flow.js';
import type { HttpAnswer } from '../storefront.js';

export const idempotentRetries: Flow = {
  name: 'retries of POST /orders with one Idempotency-Key, one after another or at once, place one order',
  smoke: true,
  async run(shop) {
    const customer = await shop.newCustomer();
    const body = customer.anOrder();
    const key = randomUUID();
    const first = await customer.placeOrder(body, key);
    const again = await customer.placeOrder(body, key);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const atOnceKey = randomUUID();
    const atOnce = await Promise.all(
      Array.from({ length: 5 }, () => customer.placeOrder(body, atOnceKey)),
    );
    expect(new Set(atOnce.map((answer) => answer.body.id)).size).toBe(1);

    const mine = await customer.orders();
    expect(mine.items.map((order) => order.id).sort()).toEqual(
      [first.body.id, atOnce[0]?.body.id].sort(),
    );
  },
};

export const idempotencyKeyReused: Flow = {
  name: 'an Idempotency-Key reused with another body is refused with 409 and places nothing',
  async run(shop) {
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const placed = await customer.placeOrder(customer.anOrder(), key);
    const reused = await customer.request<{ code: string; message: string }>('orders', '/orders', {
      json: customer.anOrder({ quantity: 3 }),
      headers: { 'Idempotency-Key': key },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('ORDER.IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.message).toContain(key);
    const mine = await customer.orders();
    expect(mine.items.map((order) => order.id)).toEqual([placed.body.id]);
    expect(mine.items[0]?.total).toBe(2_500);
  },
};

interface ErrorBody {
  readonly statusCode: number;
  readonly message: string;
}

export const badInputRefused: Flow = {
  name: 'bad input is answered with the documented 4xx, a readable JSON error, and changes nothing',
  smoke: true,
  async run(shop) {
    const customer = await shop.newCustomer();
    const valid = customer.anOrder();
    const [item] = valid.items;
    // Asked one at a time: a target that hangs on one fails the flow on that one.
    const refusals: Array<[string, () => Promise<HttpAnswer<ErrorBody>>, number, RegExp?]> = [
      [
        'an unknown field',
        () => customer.request('orders', '/orders', { json: { ...valid, coupon: 'FREE' } }),
        400,
        /coupon/,
      ],
      [
        'no items',
        () => customer.request('orders', '/orders', { json: { ...valid, items: [] } }),
        400,
      ],
      [
        'a quantity above 1000',
        () =>
          customer.request('orders', '/orders', {
            json: { ...valid, items: [{ ...item, quantity: 1_001 }] },
          }),
        400,
        /quantity/,
      ],
      [
        'a lone UTF-16 surrogate',
        () =>
          customer.request('orders', '/orders', {
            rawBody: JSON.stringify({ ...valid, items: [{ ...item, sku: 'A\ud800' }] }),
            headers: { 'Content-Type': 'application/json' },
          }),
        400,
        /sku/,
      ],
      [
        'a body that is not valid JSON',
        () =>
          customer.request('orders', '/orders', {
            rawBody: '{"customerId":',
            headers: { 'Content-Type': 'application/json' },
          }),
        400,
      ],
      [
        'a body that is not JSON',
        () =>
          customer.request('orders', '/orders', {
            rawBody: 'customerId=1',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
        415,
      ],
      [
        'a body over 100 kB',
        () =>
          customer.request('orders', '/orders', {
            json: { ...valid, address: { ...valid.address, line1: 'x'.repeat(110_000) } },
          }),
        413,
      ],
      [
        'an order id that is not a uuid',
        () => customer.request('orders', '/orders/not-a-uuid'),
        400,
      ],
      ['an unknown order', () => customer.request('orders', `/orders/${randomUUID()}`), 404],
      ['an unknown payment', () => customer.request('payments', `/payments/${randomUUID()}`), 404],
      [
        'an unknown shipment',
        () => customer.request('shipping', `/shipments/${randomUUID()}`),
        404,
      ],
      [
        'a list limit above 100',
        () => customer.request('orders', `/orders?customerId=${customer.id}&limit=101`),
        400,
      ],
    ];
    for (const [what, ask, status, message] of refusals) {
      const answer = await ask();
      expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
      expect(answer.headers.get('content-type'), what).toMatch(/application\/json/);
      expect(answer.body.statusCode, what).toBe(status);
      expect(typeof answer.body.message, what).toBe('string');
      if (message) expect(answer.body.message, what).toMatch(message);
    }
    expect((await customer.orders()).items).toEqual([]);
  },
};
