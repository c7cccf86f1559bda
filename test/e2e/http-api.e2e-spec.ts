import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderRequest, Platform } from './platform.js';

describe('the HTTP APIs', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  async function storedOrders(): Promise<number> {
    const [row] = await platform.databases.orders.query<{ count: string }>(
      'SELECT count(*) FROM orders',
    );
    return Number(row?.count);
  }

  async function recordedPlacements(): Promise<number> {
    const [row] = await platform.databases.orders.query<{ count: string }>(
      // Placements only: earlier orders keep moving (and recording) in the background.
      `SELECT count(*) FROM order_history WHERE message_type = 'PlaceOrder'`,
    );
    return Number(row?.count);
  }

  // Idempotent retries, a reused key, listing and pagination are business
  // flows: business-flows.e2e-spec.ts runs them.
  describe('POST /orders', () => {
    it('answers 202 with the PENDING order and where to follow it', async () => {
      const body = anOrderRequest();
      const response = await platform.http('orders').post('/orders').send(body);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({
        status: 'PENDING',
        total: 2_500,
        customerId: body.customerId,
      });
      expect(response.headers.location).toBe(`/orders/${response.body.id}`);
    });

    const valid = anOrderRequest();
    const item = valid.items[0];
    const badBodies: Array<[string, unknown, RegExp]> = [
      ['an unknown field', { ...valid, coupon: 'FREE' }, /Unrecognized key.*coupon/],
      [
        'an unknown field in an item',
        { ...valid, items: [{ ...item, color: 'red' }] },
        /items\.0.*color/,
      ],
      ['a wrong type', { ...valid, customerId: 42 }, /customerId/],
      ['a quantity of 0', { ...valid, items: [{ ...item, quantity: 0 }] }, /items\.0\.quantity/],
      [
        'a quantity above 1000',
        { ...valid, items: [{ ...item, quantity: 1_001 }] },
        /items\.0\.quantity/,
      ],
      [
        'a fractional quantity',
        { ...valid, items: [{ ...item, quantity: 1.5 }] },
        /items\.0\.quantity/,
      ],
      ['no items', { ...valid, items: [] }, /at least one item/],
      [
        'more than 100 items',
        { ...valid, items: Array.from({ length: 101 }, () => item) },
        /at most 100 items/,
      ],
      [
        'a negative price',
        { ...valid, items: [{ ...item, unitPrice: -1 }] },
        /items\.0\.unitPrice/,
      ],
      [
        'a price that is not in minor units',
        { ...valid, items: [{ ...item, unitPrice: 12.5 }] },
        /unitPrice/,
      ],
      ['a lower-case currency', { ...valid, currency: 'eur' }, /currency.*ISO 4217/],
      ['a currency that is not three letters', { ...valid, currency: 'EURO' }, /currency/],
      ['a missing address', { ...valid, address: undefined }, /address/],
      [
        'a country that is not ISO 3166',
        { ...valid, address: { ...valid.address, country: 'Germany' } },
        /country/,
      ],
      ['a customer id that is not a uuid', { ...valid, customerId: 'bob' }, /customerId.*UUID/],
      [
        'a lone UTF-16 surrogate in a text field',
        { ...valid, items: [{ ...item, sku: 'A\ud800' }] },
        /items\.0\.sku.*surrogate/,
      ],
      [
        'a NUL character in a text field',
        { ...valid, address: { ...valid.address, city: 'Ber\u0000lin' } },
        /address\.city.*NUL/,
      ],
      ['a JSON array', [valid], /body/],
    ];

    it.each(badBodies)(
      'answers 400 to %s, says what is wrong, and stores nothing',
      async (_, body, message) => {
        const [ordersBefore, messagesBefore] = [await storedOrders(), await recordedPlacements()];
        const response = await platform
          .http('orders')
          .post('/orders')
          .send(body as object);
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/json/);
        expect(response.body).toMatchObject({ statusCode: 400, code: 'REQUEST.INVALID' });
        expect(response.body.message).toMatch(message);
        expect(await storedOrders()).toBe(ordersBefore);
        expect(await recordedPlacements()).toBe(messagesBefore);
      },
    );

    it('answers 400 to a body that is not valid JSON', async () => {
      const before = await storedOrders();
      const response = await platform
        .http('orders')
        .post('/orders')
        .set('Content-Type', 'application/json')
        .send('{"customerId": ');
      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
      expect(typeof response.body.message).toBe('string');
      expect(await storedOrders()).toBe(before);
    });

    it('answers 413 to a body over 100 kB', async () => {
      const before = await storedOrders();
      const huge = { ...valid, address: { ...valid.address, line1: 'x'.repeat(110 * 1024) } };
      const response = await platform.http('orders').post('/orders').send(huge);
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({
        statusCode: 413,
        message: expect.stringMatching(/too large/),
      });
      expect(await storedOrders()).toBe(before);
    });

    it('answers 415 to a body that is not JSON', async () => {
      const before = await storedOrders();
      const response = await platform
        .http('orders')
        .post('/orders')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(valid));
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({
        statusCode: 415,
        message: expect.stringMatching(/application\/json/),
      });
      expect(await storedOrders()).toBe(before);
    });
  });

  describe('GET /orders/{id}', () => {
    it('answers 400 to an id that is not a uuid', async () => {
      const response = await platform.http('orders').get('/orders/not-a-uuid');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/param\.id.*UUID/);
    });

    it('answers 404 to an unknown order', async () => {
      const id = randomUUID();
      const response = await platform.http('orders').get(`/orders/${id}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({
        code: 'ORDER.NOT_FOUND',
        message: expect.stringContaining(id),
      });
    });
  });

  describe('GET /orders', () => {
    it.each([
      ['an unknown status', { status: 'LOST' }],
      ['a limit above 100', { limit: 101 }],
      ['a limit that is not a number', { limit: 'ten' }],
      ['a customer id that is not a uuid', { customerId: 'bob' }],
      ['an unknown parameter', { sort: 'asc' }],
      ['a cursor it never handed out', { cursor: 'bm90LWEtY3Vyc29y' }],
    ])('answers 400 to %s', async (_, query) => {
      const response = await platform.http('orders').get('/orders').query(query);
      expect(response.status).toBe(400);
      expect(typeof response.body.message).toBe('string');
    });
  });

  describe('the read APIs of payments, shipping and notifications', () => {
    it.each([
      ['payments', '/payments/not-a-uuid', 400],
      ['payments', `/payments/${randomUUID()}`, 404],
      ['payments', '/payments', 400],
      ['shipping', '/shipments/not-a-uuid', 400],
      ['shipping', `/shipments/${randomUUID()}`, 404],
      ['shipping', '/shipments?orderId=nope', 400],
      ['notifications', '/notifications', 400],
      ['notifications', '/notifications?customerId=nope', 400],
    ] as const)('%s answers GET %s with %i', async (app, path, status) => {
      const response = await platform.http(app).get(path);
      expect(response.status).toBe(status);
      expect(response.body.statusCode).toBe(status);
    });

    it('finds a payment and a shipment by their ids', async () => {
      const placed = await platform.placeOrder(anOrderRequest());
      const order = await platform.orderReaches(placed.id, 'COMPLETED');
      const payment = await platform.http('payments').get(`/payments/${order.paymentId}`);
      expect(payment.body).toMatchObject({ orderId: placed.id, status: 'COMPLETED' });
      const shipment = await platform.http('shipping').get(`/shipments/${order.shipmentId}`);
      expect(shipment.body).toMatchObject({
        orderId: placed.id,
        trackingNumber: order.trackingNumber,
      });
    });
  });

  it.each(['orders', 'payments', 'shipping', 'notifications'] as const)(
    '%s describes its API in OpenAPI at /docs',
    async (app) => {
      const ui = await platform.http(app).get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.text).toMatch(/swagger/i);
      const document = await platform.http(app).get('/docs-json');
      expect(document.status).toBe(200);
      expect(document.body.openapi).toMatch(/^3\./);
      expect(Object.keys(document.body.paths).length).toBeGreaterThan(1);
    },
  );
});
