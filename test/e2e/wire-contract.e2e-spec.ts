import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { anOrderRequest, Platform } from './platform.js';

interface Seen {
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Spelled out as docs/wire-contract.md states them, not taken from the catalog. */
const EXPECTED_SUBJECTS: Record<string, string> = {
  ProcessPayment: 'cmd.payments.ProcessPayment',
  RefundPayment: 'cmd.payments.RefundPayment',
  ShipOrder: 'cmd.shipping.ShipOrder',
  OrderPlaced: 'evt.orders.OrderPlaced',
  OrderCompleted: 'evt.orders.OrderCompleted',
  OrderCancelled: 'evt.orders.OrderCancelled',
  PaymentCompleted: 'evt.payments.PaymentCompleted',
  PaymentRefunded: 'evt.payments.PaymentRefunded',
  OrderShipped: 'evt.shipping.OrderShipped',
  ShipmentFailed: 'evt.shipping.ShipmentFailed',
};

describe('the messages on the wire', () => {
  let platform: Platform;
  let watcher: NatsConnection;
  const seen: Seen[] = [];

  beforeAll(async () => {
    platform = await Platform.start();
    // A plain core-NATS client, as any other program would watch the system.
    watcher = await connect({ servers: platform.nats.url });
    const record = (subscription: Subscription) =>
      void (async () => {
        for await (const message of subscription) seen.push(parse(message));
      })();
    record(watcher.subscribe('cmd.>'));
    record(watcher.subscribe('evt.>'));
    await watcher.flush();
  });

  afterAll(async () => {
    await watcher?.close();
    await platform?.dispose();
  });

  it('carries every command and event of an order on its subject, with all the headers', async () => {
    const completed = await platform.placeOrder(anOrderRequest());
    const refunded = await platform.placeOrder(anOrderRequest({ country: 'ZZ' }));
    await platform.orderReaches(completed.id, 'COMPLETED');
    await platform.orderReaches(refunded.id, 'CANCELLED');

    const completedFlow = await eventually(() => {
      const types = messagesOf(completed.id).map((message) => message.headers['message-type']);
      expect(types.sort()).toEqual(
        [
          'OrderCompleted',
          'OrderPlaced',
          'OrderShipped',
          'PaymentCompleted',
          'ProcessPayment',
          'ShipOrder',
        ].sort(),
      );
      return messagesOf(completed.id);
    });
    const refundedFlow = await eventually(() => {
      const types = messagesOf(refunded.id).map((message) => message.headers['message-type']);
      expect(types.sort()).toEqual(
        [
          'OrderCancelled',
          'OrderPlaced',
          'PaymentCompleted',
          'PaymentRefunded',
          'ProcessPayment',
          'RefundPayment',
          'ShipOrder',
          'ShipmentFailed',
        ].sort(),
      );
      return messagesOf(refunded.id);
    });

    for (const message of [...completedFlow, ...refundedFlow]) {
      const type = message.headers['message-type'] ?? '';
      expect(message.subject, type).toBe(EXPECTED_SUBJECTS[type]);
      expect(message.headers['Nats-Msg-Id']).toMatch(UUID);
      expect(message.headers['message-version']).toBe('1');
      expect(message.headers['causation-id']).toBeTruthy();
      expect(message.headers['traceparent']).toMatch(TRACEPARENT);
      expect(message.body.orderId).toBe(message.headers['correlation-id']);
    }

    // Each message names the one that caused it: the chain goes back to the HTTP request.
    const byId = new Map(completedFlow.map((message) => [message.headers['Nats-Msg-Id'], message]));
    const completedEvent = completedFlow.find(
      (m) => m.headers['message-type'] === 'OrderCompleted',
    );
    const shipped = byId.get(completedEvent?.headers['causation-id']);
    expect(shipped?.headers['message-type']).toBe('OrderShipped');
    const shipOrder = byId.get(shipped?.headers['causation-id']);
    expect(shipOrder?.headers['message-type']).toBe('ShipOrder');
    // One order, one trace.
    const traceIds = new Set(
      completedFlow.map((message) => message.headers['traceparent']?.split('-')[1]),
    );
    expect(traceIds.size).toBe(1);

    // The body is the message's fields alone (no transport envelope).
    const placed = completedFlow.find((m) => m.headers['message-type'] === 'OrderPlaced');
    expect(Object.keys(placed?.body ?? {}).sort()).toEqual(
      ['address', 'currency', 'customerId', 'items', 'orderId', 'total'].sort(),
    );
  });

  function messagesOf(orderId: string): Seen[] {
    return seen.filter((message) => message.headers['correlation-id'] === orderId);
  }
});

function parse(message: Msg): Seen {
  const headers: Record<string, string> = {};
  for (const [name, values] of message.headers ?? []) headers[name] = values[0] ?? '';
  return { subject: message.subject, headers, body: message.json<Record<string, unknown>>() };
}
