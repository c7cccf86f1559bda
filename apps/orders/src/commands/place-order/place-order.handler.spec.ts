import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReused } from '../../domain/order-errors.js';
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
    expect(row?.deadlineAt?.getTime()).toBeGreaterThanOrEqual(before + 60_000);
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
