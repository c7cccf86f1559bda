import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReused } from '../../domain/order-errors.js';
import { OrderStatusChangedEvent } from '../../domain/order-status-changed.event.js';
import {
  ImmediateCommit,
  InMemoryOrderStore,
  PublishedEvents,
  RecordedMessages,
  testConfig,
} from '../../../test/in-memory-orders.js';
import { PlaceOrderCommand, type OrderRequest } from './place-order.command.js';
import { fingerprint, PlaceOrderHandler } from './place-order.handler.js';

const TRACE = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`;

function aRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    customerId: '2f6b9a4c-5d3e-4a1b-8c7d-9e0f1a2b3c4d',
    currency: 'EUR',
    items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1_250 }],
    address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    ...overrides,
  };
}

function setUp() {
  const orders = new InMemoryOrderStore();
  const outbox = new RecordedMessages();
  const handler = new PlaceOrderHandler(
    orders,
    outbox,
    new ImmediateCommit(),
    new PublishedEvents(),
    testConfig,
  );
  const place = (
    request: OrderRequest,
    key: string | null = null,
    requestId: string = randomUUID(),
  ) =>
    handler.execute(
      new PlaceOrderCommand(request, key, { causationId: requestId, traceparent: TRACE }),
    );
  return { store: { rows: orders.rows, history: orders.history, sent: outbox.sent }, place };
}

describe(PlaceOrderHandler.name, () => {
  it('stores the order PENDING with its payment deadline, and records OrderPlaced and ProcessPayment', async () => {
    const { store, place } = setUp();
    const before = Date.now();
    const { order, replayed } = await place(aRequest(), null, 'request-1');

    expect(replayed).toBe(false);
    const row = store.rows.get(order.id);
    expect(row?.order.status).toBe('PENDING');
    expect(row?.order.deadlineAt?.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(store.sent.map((m) => [m.name, m.correlationId])).toEqual([
      ['OrderPlaced', order.id],
      ['ProcessPayment', order.id],
    ]);
    expect(store.history).toMatchObject([{ from: null, to: 'PENDING', messageId: 'request-1' }]);
  });

  it('gives back the first order for a repeated Idempotency-Key and body, recording nothing more', async () => {
    const { store, place } = setUp();
    const first = await place(aRequest(), 'key-1');
    const again = await place(aRequest(), 'key-1');

    expect(again).toEqual({ order: first.order, replayed: true });
    expect(store.rows.size).toBe(1);
    expect(store.sent).toHaveLength(2);
  });

  it('refuses an Idempotency-Key reused with another body', async () => {
    const { store, place } = setUp();
    await place(aRequest(), 'key-1');

    await expect(place(aRequest({ currency: 'USD' }), 'key-1')).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
    expect(store.rows.size).toBe(1);
  });
});

describe(fingerprint.name, () => {
  it('does not depend on the order of keys in the body', () => {
    const request = aRequest();
    const reordered = {
      address: request.address,
      items: request.items,
      currency: request.currency,
      customerId: request.customerId,
    };
    expect(fingerprint(reordered)).toBe(fingerprint(request));
  });
});

describe(`${PlaceOrderHandler.name}, without a key and after commit`, () => {
  it('places one order per request without an Idempotency-Key, however alike the requests', async () => {
    const { store, place } = setUp();
    const first = await place(aRequest());
    const second = await place(aRequest());

    expect([first.replayed, second.replayed]).toEqual([false, false]);
    expect(second.order.id).not.toBe(first.order.id);
    expect(store.rows.size).toBe(2);
  });

  it('records the placing in the history as a request that moved the order, caused by the HTTP request', async () => {
    const { store, place } = setUp();
    const { order } = await place(aRequest(), 'key-1', 'request-1');

    expect(store.history).toEqual([
      {
        orderId: order.id,
        from: null,
        to: 'PENDING',
        messageType: 'PlaceOrder',
        messageId: 'request-1',
        ignored: false,
        note: null,
        at: order.createdAt,
      },
    ]);
    expect(store.rows.get(order.id)?.order.deadlineAt).toEqual(
      new Date(order.createdAt.getTime() + 60_000),
    );
  });

  it("announces the order's first status only once its transaction has committed", async () => {
    const commits: Array<() => void> = [];
    const events = new PublishedEvents();
    const handler = new PlaceOrderHandler(
      new InMemoryOrderStore(),
      new RecordedMessages(),
      { afterCommit: (callback) => commits.push(callback) },
      events,
      testConfig,
    );
    const { order } = await handler.execute(
      new PlaceOrderCommand(aRequest(), null, { causationId: 'request-1', traceparent: TRACE }),
    );

    expect(events.published).toEqual([]);
    commits.forEach((commit) => commit());
    expect(events.published).toEqual([
      new OrderStatusChangedEvent(order.id, null, 'PENDING', 'PlaceOrder'),
    ]);
  });
});

describe(`${fingerprint.name}, across releases`, () => {
  // Fingerprints are stored beside their keys: a request repeated after an
  // upgrade must still match the one it repeats.
  it('gives a request the fingerprint it was stored with', () => {
    const request = aRequest({
      items: [
        { sku: 'BOOK-1', quantity: 2, unitPrice: 1_250 },
        { sku: 'PEN-2', quantity: 1, unitPrice: 300 },
      ],
    });
    expect(fingerprint(request)).toBe(
      '0433c3035ef0297e6729a96ee4fee554ca3f12a9db4aff321d0cf4c61c9d007c',
    );
  });
});
