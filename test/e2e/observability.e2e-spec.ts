import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { OtlpCollector, type CollectedSpan } from '../support/otlp-collector.js';
import { Scrape } from '../support/prometheus.js';
import { APPS, anOrderRequest, Platform } from './platform.js';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('following one order across every service and message', () => {
  let platform: Platform;
  let collector: OtlpCollector;

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    const env = Object.fromEntries(
      APPS.map((app) => [app, { ...collector.env(), MESSAGING_MAX_ATTEMPTS: '2' }]),
    );
    platform = await Platform.start({ env });
  });
  afterAll(async () => {
    await platform?.dispose();
    await collector?.stop();
  });

  it('shows the whole saga as one trace: the request, each publish, and its processing in every app', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const placed = await platform.placeOrder(anOrderRequest(), {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    await platform.orderReaches(placed.id, 'COMPLETED');

    const processed = (spans: CollectedSpan[]) =>
      spans
        .filter((span) => span.kind === CONSUMER)
        .map((span) => `${span.service} ${span.name}`)
        .sort();
    const spans = await eventually(() => {
      const found = collector.trace(traceId);
      expect(processed(found)).toEqual([
        'notifications process evt.orders.OrderCompleted',
        'notifications process evt.orders.OrderPlaced',
        'notifications process evt.shipping.OrderShipped',
        'orders process evt.payments.PaymentCompleted',
        'orders process evt.shipping.OrderShipped',
        'payments process cmd.payments.ProcessPayment',
        'shipping process cmd.shipping.ShipOrder',
      ]);
      return found;
    });

    const server = spans.filter((span) => span.kind === SERVER);
    expect(server.map((span) => [span.service, span.name, span.parentSpanId])).toEqual([
      ['orders', 'POST /orders', callerSpanId],
    ]);
    expect(
      spans
        .filter((span) => span.kind === PRODUCER)
        .map((span) => `${span.service} ${span.name}`)
        .sort(),
    ).toEqual([
      'orders publish cmd.payments.ProcessPayment',
      'orders publish cmd.shipping.ShipOrder',
      'orders publish evt.orders.OrderCompleted',
      'orders publish evt.orders.OrderPlaced',
      'payments publish evt.payments.PaymentCompleted',
      'shipping publish evt.shipping.OrderShipped',
    ]);
    // One tree: each process span hangs from the publish span of its message, and every
    // span but the request's has its parent in this trace.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const span of spans.filter((candidate) => candidate.kind === CONSUMER)) {
      const parent = byId.get(span.parentSpanId ?? '');
      expect(parent?.kind, span.name).toBe(PRODUCER);
      expect(parent?.name.replace('publish ', '')).toBe(span.name.replace('process ', ''));
    }
    for (const span of spans.filter((candidate) => candidate.kind !== SERVER)) {
      expect(byId.has(span.parentSpanId ?? ''), `${span.service} ${span.name}`).toBe(true);
    }
  });

  it('lets an operator replay what a broken handler dead-lettered, and the order then completes once', async () => {
    const payments = platform.databases.payments;
    const before = await Scrape.of(
      platform.replicas('payments')[0]!.adminUrl,
      platform.replicas('payments')[0]!.adminHeaders,
    );
    // A bug in production, as payments would meet it: its table is gone.
    await payments.query('ALTER TABLE payments RENAME TO payments_away');
    const placed = await platform.placeOrder(anOrderRequest());

    const letter = await eventually(async () => {
      const response = await platform.admin('payments').get('/dead-letters');
      const found = (
        response.body as {
          deadLetters: Array<{ sequence: number; reason: string; messageType: string }>;
        }
      ).deadLetters;
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(letter.messageType).toBe('ProcessPayment');
    expect(letter.reason).toMatch(/payments/);
    const after = await Scrape.of(
      platform.replicas('payments')[0]!.adminUrl,
      platform.replicas('payments')[0]!.adminHeaders,
    );
    const labels = { consumer: 'payments-ProcessPayment', message_type: 'ProcessPayment' };
    expect(
      after.value('messaging_messages_dead_lettered_total', { ...labels, cause: 'exhausted' }) -
        before.value('messaging_messages_dead_lettered_total', { ...labels, cause: 'exhausted' }),
    ).toBe(1);
    expect(
      after.value('messaging_messages_failed_total', labels) -
        before.value('messaging_messages_failed_total', labels),
    ).toBe(2);

    await payments.query('ALTER TABLE payments_away RENAME TO payments');
    const replay = await platform.admin('payments').post(`/dead-letters/${letter.sequence}/replay`);
    expect(replay.status).toBe(200);

    await platform.orderReaches(placed.id, 'COMPLETED');
    expect(await platform.paymentsOf(placed.id)).toHaveLength(1);
    const remaining = await platform.admin('payments').get('/dead-letters');
    expect((remaining.body as { deadLetters: unknown[] }).deadLetters).toEqual([]);
    // The orders app counts the completion it handled.
    const orders = await Scrape.of(
      platform.replicas('orders')[0]!.adminUrl,
      platform.replicas('orders')[0]!.adminHeaders,
    );
    expect(
      orders.value('messaging_messages_handled_total', {
        consumer: 'orders-OrderShipped',
        message_type: 'OrderShipped',
      }),
    ).toBe(2);
  });
});
