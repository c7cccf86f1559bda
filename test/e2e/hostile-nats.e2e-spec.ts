import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, type MessageDefinition } from '@app/contracts';
import { eventually } from '../support/eventually.js';
import { Wire } from '../support/wire.js';
import { APPS, anOrderRequest, Platform } from './platform.js';

const encoder = new TextEncoder();

/** Bodies no handler may ever apply, each with the reason it must be refused. */
const garbage: Array<{ name: string; body: (message: MessageDefinition) => Uint8Array }> = [
  {
    name: 'random bytes',
    body: () => Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256),
  },
  { name: 'truncated JSON', body: () => encoder.encode('{"orderId": "') },
  {
    name: 'wrong types',
    body: () => encoder.encode(JSON.stringify({ orderId: 42, amount: 'lots' })),
  },
  {
    name: 'a huge body',
    body: () =>
      encoder.encode(JSON.stringify({ orderId: randomUUID(), padding: 'x'.repeat(900_000) })),
  },
];

describe('hostile messages on every subject', () => {
  let platform: Platform;
  let wire: Wire;

  beforeAll(async () => {
    const env = Object.fromEntries(APPS.map((app) => [app, { MESSAGING_MAX_ATTEMPTS: '2' }]));
    platform = await Platform.start({ env });
    wire = await Wire.connect(platform.nats.url);
  });
  afterAll(async () => {
    await wire?.close();
    await platform?.dispose();
  });

  it('dead-letters every unreadable, mistyped, oversized or header-less message at once, applies none, and keeps serving', async () => {
    const consumers = await consumersBySubject(wire);
    let expected = 0;
    for (const message of catalog) {
      for (const { body } of garbage) {
        await wire.publish(message, undefined, { raw: body(message) });
      }
      // No Nats-Msg-Id and no correlation-id: nothing to de-duplicate or correlate by.
      await wire.jetstream.publish(message.subject, encoder.encode('{}'));
      // A forged type: the header names another message than the subject does.
      const forged = headers();
      forged.set('Nats-Msg-Id', randomUUID());
      forged.set('correlation-id', randomUUID());
      forged.set('message-type', 'SomethingElse');
      await wire.jetstream.publish(message.subject, encoder.encode('{}'), { headers: forged });
      expected += (garbage.length + 2) * (consumers.get(message.subject) ?? 0);
    }
    expect(expected).toBeGreaterThan(0);

    await eventually(
      async () => expect(await wire.streamMessageCount('DEADLETTERS')).toBe(expected),
      { timeoutMs: 60_000 },
    );
    const reasons = (await wire.storedMessages('DEADLETTERS', 'dlq.>')).map(
      (letter) => letter.headers['dead-letter-reason'] ?? '',
    );
    expect(reasons.filter((reason) => /does not match subject/.test(reason))).toHaveLength(
      expected / (garbage.length + 2),
    );
    expect(
      reasons.every((reason) =>
        /^(malformed body|schema violation|missing header|message-type)/.test(reason),
      ),
    ).toBe(true);
    for (const app of APPS) {
      expect((await platform.http(app).get('/health/ready')).status, app).toBe(200);
    }
    expect(await platform.databases.payments.query('SELECT 1 FROM payments')).toEqual([]);
    expect(await platform.databases.shipping.query('SELECT 1 FROM shipments')).toEqual([]);
    expect(await platform.databases.notifications.query('SELECT 1 FROM notifications')).toEqual([]);

    const placed = await platform.placeOrder(anOrderRequest());
    await platform.orderReaches(placed.id, 'COMPLETED');
    expect(await platform.paymentsOf(placed.id)).toHaveLength(1);
  });
});

/** How many durable consumers read each subject: each dead-letters its own copy. */
async function consumersBySubject(wire: Wire): Promise<Map<string, number>> {
  const manager = await jetstreamManager(wire.connection);
  const counts = new Map<string, number>();
  for (const stream of ['COMMANDS', 'EVENTS']) {
    for await (const consumer of manager.consumers.list(stream)) {
      const subject = consumer.config.filter_subject ?? '';
      counts.set(subject, (counts.get(subject) ?? 0) + 1);
    }
  }
  return counts;
}
