import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToken } from '../../scripts/auth/tokens.js';
import { eventually } from '../support/eventually.js';
import {
  anOrderRequest,
  type NotificationResource,
  type OrderResource,
  type PaymentResource,
  type PlacedOrder,
  Platform,
  type ShipmentResource,
} from './platform.js';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'orders-platform-e2e';

function aKeyPair(type: 'rsa' | 'ec') {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
  };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('customer authentication with a public key (RS256)', () => {
  const keys = aKeyPair('rsa');
  const alice = randomUUID();
  const bob = randomUUID();
  const tokenFor = (customerId: string, options: Parameters<typeof customerToken>[1] = {}) =>
    customerToken(customerId, {
      privateKeyPem: keys.privateKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      ...options,
    });
  const bearer = async (customerId: string) => `Bearer ${await tokenFor(customerId)}`;
  let platform: Platform;

  const authenticated = {
    AUTH_JWT_PUBLIC_KEY: keys.publicKeyPem,
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
  };

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        orders: authenticated,
        payments: authenticated,
        shipping: authenticated,
        notifications: authenticated,
      },
      flowView: {
        FLOW_VIEW_DEMO_PRIVATE_KEY: keys.privateKeyPem,
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      },
    });
  });

  afterAll(async () => {
    await platform?.dispose();
  });

  async function place(customerId: string, body: object = anOrderRequest({ customerId })) {
    const response = await platform
      .http('orders')
      .post('/orders')
      .set('Authorization', await bearer(customerId))
      .send(body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return response.body as PlacedOrder;
  }

  /** GET /orders, as `token` sees it: the answer of a refused token is a 401. */
  const listOrders = (authorization: string | undefined) => {
    const call = platform.http('orders').get('/orders');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  function expectRefused(
    response: { status: number; body: unknown; headers: Record<string, string> },
    reason: RegExp,
  ) {
    expect(response.status, JSON.stringify(response.body)).toBe(401);
    expect(response.body).toMatchObject({
      statusCode: 401,
      code: 'AUTH.UNAUTHENTICATED',
      message: expect.stringMatching(reason),
    });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  }

  it('refuses a request without a token with 401, a readable body and WWW-Authenticate: Bearer', async () => {
    for (const [app, path] of [
      ['orders', '/orders'],
      ['payments', `/payments?orderId=${randomUUID()}`],
      ['shipping', `/shipments?orderId=${randomUUID()}`],
      ['notifications', `/notifications?orderId=${randomUUID()}`],
    ] as const) {
      const response = await platform.http(app).get(path);
      expectRefused(response, /missing Authorization/);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    const post = await platform.http('orders').post('/orders').send(anOrderRequest());
    expectRefused(post, /missing Authorization/);
  });

  it('refuses an expired token, and takes one just past its expiry within the clock tolerance', async () => {
    expectRefused(
      await listOrders(`Bearer ${await tokenFor(alice, { expiresIn: '-5m' })}`),
      /expired/,
    );
    const justExpired = await listOrders(`Bearer ${await tokenFor(alice, { expiresIn: '-5s' })}`);
    expect(justExpired.status).toBe(200);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    expectRefused(
      await listOrders(`Bearer ${await tokenFor(alice, { issuer: 'https://evil.example/' })}`),
      /issuer/,
    );
    expectRefused(
      await listOrders(`Bearer ${await tokenFor(alice, { audience: 'another-api' })}`),
      /audience/,
    );
  });

  it('refuses an unsigned token (alg none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      sub: alice,
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 600,
    })}.`;
    expectRefused(await listOrders(`Bearer ${unsigned}`), /not .*well-formed|algorithm/);
  });

  it('refuses a token signed HS256 with the public key as the secret (algorithm confusion)', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(alice)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(keys.publicKeyPem));
    expectRefused(await listOrders(`Bearer ${forged}`), /algorithm/);
  });

  it('refuses a token signed with another key, or with a subject that is not a customer id', async () => {
    const intruder = aKeyPair('rsa');
    expectRefused(
      await listOrders(
        `Bearer ${await tokenFor(alice, { privateKeyPem: intruder.privateKeyPem })}`,
      ),
      /signature/,
    );
    expectRefused(await listOrders(`Bearer ${await tokenFor('alice@example.com')}`), /subject/);
  });

  it('refuses a malformed token or another authentication scheme', async () => {
    expectRefused(await listOrders('Bearer not-a-jwt'), /well-formed/);
    expectRefused(await listOrders('Bearer a.b.c'), /well-formed/);
    expectRefused(
      await listOrders(`Basic ${Buffer.from('alice:pw').toString('base64')}`),
      /Bearer/,
    );
    expectRefused(await listOrders('Bearer'), /Bearer/);
  });

  it('keeps health and the API documentation open, the bearer scheme documented on customer routes', async () => {
    for (const app of ['orders', 'payments', 'shipping', 'notifications'] as const) {
      expect((await platform.http(app).get('/health/live')).status).toBe(200);
      expect((await platform.http(app).get('/health/ready')).status).toBe(200);
      const docs = await platform.http(app).get('/docs-json');
      expect(docs.status).toBe(200);
      expect(docs.body.components.securitySchemes.customer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
      const operations = Object.values(docs.body.paths as Record<string, object>).flatMap(
        (path) => Object.values(path) as Array<{ security?: unknown; tags?: string[] }>,
      );
      const customerFacing = operations.filter((operation) => operation.security);
      expect(customerFacing.length, app).toBeGreaterThan(0);
      for (const operation of customerFacing)
        expect(operation.security).toEqual([{ customer: [] }]);
    }
    expect((await platform.http('orders').get('/docs')).status).toBe(200);
  });

  it("places an order for the token's customer, and takes the customer from the token when the body names none", async () => {
    const placed = await place(alice);
    expect(placed.customerId).toBe(alice);

    const { customerId: _left, ...withoutCustomer } = anOrderRequest();
    const implicit = await place(alice, withoutCustomer);
    expect(implicit.customerId).toBe(alice);
  });

  it('refuses with 403 an order whose body names another customer, and stores nothing', async () => {
    const response = await platform
      .http('orders')
      .post('/orders')
      .set('Authorization', await bearer(alice))
      .send(anOrderRequest({ customerId: bob }));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      code: 'AUTH.OTHER_CUSTOMER',
      message: expect.stringContaining(bob),
    });
    const bobsOrders = await platform
      .http('orders')
      .get('/orders')
      .set('Authorization', await bearer(bob));
    expect(bobsOrders.body.items).toEqual([]);
  });

  it("runs a customer's order through the saga and shows them its order, payment, shipment and notifications", async () => {
    const carol = randomUUID();
    const auth = await bearer(carol);
    const placed = await place(carol);

    const order = await eventually(async () => {
      const response = await platform
        .http('orders')
        .get(`/orders/${placed.id}`)
        .set('Authorization', auth);
      expect(response.status).toBe(200);
      expect((response.body as OrderResource).status).toBe('COMPLETED');
      return response.body as OrderResource;
    });

    const list = await platform.http('orders').get('/orders').set('Authorization', auth);
    expect(list.status).toBe(200);
    expect((list.body.items as PlacedOrder[]).map((item) => item.id)).toEqual([placed.id]);

    const payments = await platform
      .http('payments')
      .get('/payments')
      .query({ orderId: placed.id })
      .set('Authorization', auth);
    expect(payments.body.items as PaymentResource[]).toMatchObject([
      { id: order.paymentId, status: 'COMPLETED' },
    ]);
    const payment = await platform
      .http('payments')
      .get(`/payments/${order.paymentId}`)
      .set('Authorization', auth);
    expect(payment.status).toBe(200);

    const shipments = await platform
      .http('shipping')
      .get('/shipments')
      .query({ orderId: placed.id })
      .set('Authorization', auth);
    expect(shipments.body.items as ShipmentResource[]).toMatchObject([
      { id: order.shipmentId, status: 'SHIPPED' },
    ]);
    const shipment = await platform
      .http('shipping')
      .get(`/shipments/${order.shipmentId}`)
      .set('Authorization', auth);
    expect(shipment.status).toBe(200);

    await eventually(async () => {
      const byOrder = await platform
        .http('notifications')
        .get('/notifications')
        .query({ orderId: placed.id })
        .set('Authorization', auth);
      expect((byOrder.body.items as NotificationResource[]).map((n) => n.eventType).sort()).toEqual(
        ['OrderCompleted', 'OrderPlaced', 'OrderShipped'],
      );
    });
    // With a token, no filter at all means "mine".
    const mine = await platform
      .http('notifications')
      .get('/notifications')
      .set('Authorization', auth);
    expect(mine.status).toBe(200);
    expect((mine.body.items as NotificationResource[]).every((n) => n.customerId === carol)).toBe(
      true,
    );
    expect(mine.body.items).toHaveLength(3);
  });

  it("hides another customer's order, payment, shipment and notifications: 404 by id, nothing in a list", async () => {
    const dave = randomUUID();
    const placed = await place(dave);
    const order = await eventually(async () => {
      const response = await platform
        .http('orders')
        .get(`/orders/${placed.id}`)
        .set('Authorization', await bearer(dave));
      expect((response.body as OrderResource).status).toBe('COMPLETED');
      return response.body as OrderResource;
    });
    const eve = await bearer(randomUUID());

    const byId = await platform
      .http('orders')
      .get(`/orders/${placed.id}`)
      .set('Authorization', eve);
    expect(byId.status).toBe(404);
    expect(byId.body).toMatchObject({ code: 'ORDER.NOT_FOUND' });
    expect(
      (
        await platform
          .http('payments')
          .get(`/payments/${order.paymentId}`)
          .set('Authorization', eve)
      ).status,
    ).toBe(404);
    expect(
      (
        await platform
          .http('shipping')
          .get(`/shipments/${order.shipmentId}`)
          .set('Authorization', eve)
      ).status,
    ).toBe(404);

    const evesOrders = await platform.http('orders').get('/orders').set('Authorization', eve);
    expect(evesOrders.status).toBe(200);
    expect(evesOrders.body.items).toEqual([]);
    const filtered = await platform
      .http('orders')
      .get('/orders')
      .query({ customerId: dave })
      .set('Authorization', eve);
    expect(filtered.status).toBe(403);
    expect(filtered.body).toMatchObject({ code: 'AUTH.OTHER_CUSTOMER' });

    for (const [app, path] of [
      ['payments', '/payments'],
      ['shipping', '/shipments'],
      ['notifications', '/notifications'],
    ] as const) {
      const response = await platform
        .http(app)
        .get(path)
        .query({ orderId: placed.id })
        .set('Authorization', eve);
      expect(response.status, path).toBe(200);
      expect(response.body.items, path).toEqual([]);
    }
    const theirNotifications = await platform
      .http('notifications')
      .get('/notifications')
      .query({ customerId: dave })
      .set('Authorization', eve);
    expect(theirNotifications.status).toBe(403);
  });

  it("lets the flow view's demo form place orders, with a token it signs for the form's customer", async () => {
    const customer = randomUUID();
    const response = await request(platform.flowView.baseUrl)
      .post('/flow/orders')
      .send(anOrderRequest({ customerId: customer }));
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body.customerId).toBe(customer);
  });

  it("keeps each customer's Idempotency-Keys their own", async () => {
    const key = `checkout-${randomUUID()}`;
    const first = await platform
      .http('orders')
      .post('/orders')
      .set('Authorization', await bearer(alice))
      .set('Idempotency-Key', key)
      .send(anOrderRequest({ customerId: alice }));
    const second = await platform
      .http('orders')
      .post('/orders')
      .set('Authorization', await bearer(bob))
      .set('Idempotency-Key', key)
      .send(anOrderRequest({ customerId: bob }));
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('customer authentication with a key set (JWKS, ES256)', () => {
  const keys = aKeyPair('ec');
  let jwks: Server;
  let jwksUrl: string;
  let platform: Platform;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'e2e-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((listening) => jwks.listen(0, '127.0.0.1', listening));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    // Orders alone: the first replica open, as without settings.
    platform = await Platform.start({ replicas: { payments: 0, shipping: 0, notifications: 0 } });
  });

  afterAll(async () => {
    await platform?.dispose();
    jwks?.close();
  });

  it('says once at start that the API is open when no key is configured, and stays open', async () => {
    const warnings = () =>
      platform
        .logs('orders')
        .split('\n')
        .filter((line) => /customer authentication is off/.test(line));
    // The log is written asynchronously: it may follow the first ready answer.
    await eventually(() => expect(warnings()).not.toEqual([]));
    expect((await platform.http('orders').get('/orders')).status).toBe(200);
    expect(warnings()).toHaveLength(1);
  });

  it('verifies tokens against the key set, and refuses one whose key is not in it', async () => {
    const replica = await platform.startReplica('orders', {
      AUTH_JWKS_URL: jwksUrl,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
    });
    // The log is written asynchronously: it may follow the first ready answer.
    await eventually(() =>
      expect(replica.logs).toMatch(
        /customers authenticate with RS256 or ES256 tokens from the key set/,
      ),
    );
    const sign = (privateKeyPem: string) =>
      customerToken(randomUUID(), { privateKeyPem, issuer: ISSUER, audience: AUDIENCE });

    const accepted = await request(replica.baseUrl)
      .get('/orders')
      .set('Authorization', `Bearer ${await sign(keys.privateKeyPem)}`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    const stranger = await request(replica.baseUrl)
      .get('/orders')
      .set('Authorization', `Bearer ${await sign(aKeyPair('ec').privateKeyPem)}`);
    expect(stranger.status).toBe(401);
    expect((await request(replica.baseUrl).get('/orders')).status).toBe(401);
  });
});
