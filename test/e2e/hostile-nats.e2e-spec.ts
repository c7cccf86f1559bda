import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, PaymentCompleted, type MessageDefinition } from '@app/contracts';
import { eventually } from '../support/eventually.js';
import { commandSignatureHeaders, demoSigner } from '../support/command-signing.js';
import { Wire, type StoredMessage } from '../support/wire.js';
import { APPS, anOrderRequest, Platform } from './platform.js';

const encoder = new TextEncoder();

/** Ids that no order of this run has: whatever mentions them is garbage and must change nothing. */
const garbageOrderIds = new Set<string>();
function aGarbageOrderId(): string {
  const id = randomUUID();
  garbageOrderIds.add(id);
  return id;
}

/** A body that satisfies the message's schema, about an order that does not exist. */
function validBodyOf(message: MessageDefinition, orderId: string): Record<string, unknown> {
  const { address, items, customerId, currency } = anOrderRequest();
  const common = { orderId, customerId, currency, paymentId: randomUUID(), amount: 2_500 };
  const bodies: Record<string, Record<string, unknown>> = {
    ProcessPayment: { orderId, customerId, amount: 2_500, currency },
    RefundPayment: { ...pick(common, 'orderId', 'paymentId', 'amount', 'currency'), reason: 'x' },
    ShipOrder: {
      orderId,
      customerId,
      items: items.map(({ sku, quantity }) => ({ sku, quantity })),
      address,
    },
    OrderPlaced: { orderId, customerId, total: 2_500, currency, items, address },
    OrderCompleted: { orderId, customerId },
    OrderCancelled: { orderId, customerId, reason: 'forged' },
    PaymentCompleted: pick(common, 'orderId', 'paymentId', 'amount', 'currency'),
    PaymentDeclined: { orderId, customerId, reason: 'forged' },
    PaymentRefunded: pick(common, 'orderId', 'paymentId', 'amount', 'currency'),
    OrderShipped: { orderId, shipmentId: randomUUID(), trackingNumber: 'FORGED-1' },
    ShipmentFailed: { orderId, reason: 'forged' },
    RecallShipment: { orderId, shipmentId: randomUUID(), reason: 'forged' },
    ShipmentRecalled: {
      orderId,
      shipmentId: randomUUID(),
      trackingNumber: 'FORGED-1',
      reason: 'forged',
    },
  };
  const body = bodies[message.name];
  if (!body) throw new Error(`no valid body for ${message.name}: extend this table`);
  // The table must stay in step with the catalog, or the forged-header cases prove nothing.
  expect(message.schema.safeParse(body).success, message.name).toBe(true);
  return body;
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

interface Hostile {
  readonly name: string;
  /** What the dead letter's reason must say. */
  readonly reason: RegExp;
  /** Publishes one; resolves to the id its dead letter will carry (`dead-letter-message-id`). */
  readonly publish: (wire: Wire, message: MessageDefinition) => Promise<string>;
}

/** Everything a hostile or broken publisher can put on a subject, with why it must be refused. */
const hostile: Hostile[] = [
  {
    name: 'random bytes',
    reason: /^malformed body/,
    publish: async (wire, message) =>
      (
        await wire.publish(message, undefined, {
          correlationId: aGarbageOrderId(),
          raw: Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256),
        })
      ).messageId,
  },
  {
    name: 'truncated JSON',
    reason: /^malformed body/,
    publish: async (wire, message) => {
      const text = JSON.stringify(validBodyOf(message, aGarbageOrderId()));
      return (await wire.publish(message, undefined, { raw: encoder.encode(text.slice(0, -5)) }))
        .messageId;
    },
  },
  {
    name: 'wrong types',
    reason: /^schema violation/,
    publish: async (wire, message) =>
      (await wire.publish(message, { ...validBodyOf(message, aGarbageOrderId()), orderId: 42 }))
        .messageId,
  },
  {
    // Under the 1 MB NATS limit, so JetStream stores it and the app must refuse it itself,
    // though a field it does not know is otherwise ignored.
    name: 'a huge body',
    reason: /^body too large/,
    publish: async (wire, message) =>
      (
        await wire.publish(message, {
          ...validBodyOf(message, aGarbageOrderId()),
          padding: 'x'.repeat(900_000),
        })
      ).messageId,
  },
  {
    name: 'no headers at all',
    reason: /^missing header Nats-Msg-Id/,
    publish: async (wire, message) => {
      const body = JSON.stringify(validBodyOf(message, aGarbageOrderId()));
      const ack = await wire.jetstream.publish(message.subject, encoder.encode(body));
      // Without a Nats-Msg-Id, the dead letter names the message by its stream position.
      return `${ack.stream}-${ack.seq}`;
    },
  },
  {
    name: 'no correlation-id',
    reason: /^missing header correlation-id/,
    publish: async (wire, message) => {
      const id = randomUUID();
      const values = headers();
      values.set('Nats-Msg-Id', id);
      values.set('message-type', message.name);
      const body = JSON.stringify(validBodyOf(message, aGarbageOrderId()));
      await wire.jetstream.publish(message.subject, encoder.encode(body), { headers: values });
      return id;
    },
  },
  {
    // A valid body under a forged type: the subject and the header disagree, so neither is trusted.
    name: 'a message-type that does not match the subject',
    reason: /^message-type "SomethingElse" does not match subject/,
    publish: async (wire, message) => {
      const id = randomUUID();
      const values = headers();
      values.set('Nats-Msg-Id', id);
      values.set('correlation-id', randomUUID());
      values.set('message-type', 'SomethingElse');
      const body = JSON.stringify(validBodyOf(message, aGarbageOrderId()));
      await wire.jetstream.publish(message.subject, encoder.encode(body), { headers: values });
      return id;
    },
  },
  {
    name: 'a message-version that is not a version',
    reason: /^invalid header message-version/,
    publish: async (wire, message) => {
      const id = randomUUID();
      const values = headers();
      values.set('Nats-Msg-Id', id);
      values.set('correlation-id', randomUUID());
      values.set('message-version', '1; DROP TABLE');
      const body = JSON.stringify(validBodyOf(message, aGarbageOrderId()));
      await wire.jetstream.publish(message.subject, encoder.encode(body), { headers: values });
      return id;
    },
  },
  {
    // Not hostile, but not for these builds: handed back for a newer replica, then parked.
    name: 'a message-version newer than every app knows',
    reason:
      /^message-version 99 of \w+ is newer than this consumer \(knows 1\.\.1\): replay after upgrading$/,
    publish: async (wire, message) =>
      (
        await wire.publish(message, validBodyOf(message, aGarbageOrderId()), {
          messageVersion: 99,
        })
      ).messageId,
  },
  {
    // The correlation-id is the order id (README, "Every message carries..."): anything else is forged.
    name: 'a correlation-id that is not a uuid',
    reason: /^(invalid|malformed|missing) header correlation-id|correlation-id .*uuid/i,
    publish: async (wire, message) =>
      (
        await wire.publish(message, validBodyOf(message, aGarbageOrderId()), {
          correlationId: "' OR 1=1 --",
        })
      ).messageId,
  },
];

describe('hostile messages on every command and event subject', () => {
  let platform: Platform;
  let wire: Wire;

  beforeAll(async () => {
    // Two short attempts: what is retried (a forged event for an unknown order) or handed back
    // (a newer version) is parked quickly.
    const env = Object.fromEntries(
      APPS.map((app) => [
        app,
        {
          MESSAGING_MAX_ATTEMPTS: '2',
          MESSAGING_RETRY_BASE_MS: '20',
          MESSAGING_NEWER_VERSION_DELIVERIES: '2',
          MESSAGING_NEWER_VERSION_DELAY_MS: '20',
        },
      ]),
    );
    platform = await Platform.start({ env });
    wire = await Wire.connect(platform.nats.url);
  });
  afterAll(async () => {
    await wire?.close();
    await platform?.dispose();
  });

  async function deadLetters(): Promise<StoredMessage[]> {
    return wire.storedMessages('DEADLETTERS', 'dlq.>');
  }

  async function rowsAbout(orderIds: readonly string[]) {
    const ids = [...orderIds];
    const [payments, shipments, notifications, orders] = await Promise.all([
      platform.databases.payments.query(
        'SELECT id FROM payments WHERE order_id = ANY($1::uuid[])',
        [ids],
      ),
      platform.databases.shipping.query(
        'SELECT id FROM shipments WHERE order_id = ANY($1::uuid[])',
        [ids],
      ),
      platform.databases.notifications.query(
        'SELECT id FROM notifications WHERE order_id = ANY($1::uuid[])',
        [ids],
      ),
      platform.databases.orders.query('SELECT id FROM orders WHERE id = ANY($1::uuid[])', [ids]),
    ]);
    return { payments, shipments, notifications, orders };
  }

  it('dead-letters every unreadable, mistyped, oversized, header-less, forged-header or too-new message on every subject, applies none, and keeps serving', async () => {
    const consumers = await consumersBySubject(wire);
    const expected = new Map<string, number>();
    const kindById = new Map<string, Hostile>();
    // Subject by kind: one dead letter per reader, for the reason that kind deserves.
    const wanted: Record<string, Record<string, number>> = {};
    for (const message of catalog) {
      const readers = consumers.get(message.subject) ?? 0;
      // Every message of the catalog has a reader; a subject nobody reads would make this test vacuous.
      expect(readers, message.subject).toBeGreaterThan(0);
      const want: Record<string, number> = {};
      for (const kind of hostile) {
        kindById.set(await kind.publish(wire, message), kind);
        want[kind.name] = readers;
      }
      wanted[message.subject] = want;
      expected.set(message.subject, hostile.length * readers);
    }
    const total = [...expected.values()].reduce((sum, count) => sum + count, 0);

    // Waits for all of them; if some never come, the checks below say which subject and kind.
    await eventually(async () => expect(await wire.streamMessageCount('DEADLETTERS')).toBe(total), {
      timeoutMs: 30_000,
    }).catch(() => undefined);
    // The same table from what was stored, so a failure shows every gap at once, with its reason.
    const letters = await deadLetters();
    const found: Record<string, Record<string, number>> = {};
    for (const letter of letters) {
      const subject = letter.headers['dead-letter-subject'] ?? '?';
      const reason = letter.headers['dead-letter-reason'] ?? '';
      const kind = kindById.get(letter.headers['dead-letter-message-id'] ?? '');
      const label = !kind
        ? `unknown message: ${reason}`
        : kind.reason.test(reason)
          ? kind.name
          : `${kind.name}, but: ${reason.slice(0, 120)}`;
      const row = (found[subject] ??= {});
      row[label] = (row[label] ?? 0) + 1;
    }
    expect.soft(found).toEqual(wanted);
    expect.soft(letters).toHaveLength(total);

    for (const app of APPS) {
      expect(
        platform.replicas(app).every((replica) => replica.isRunning),
        app,
      ).toBe(true);
      expect((await platform.http(app).get('/health/ready')).status, app).toBe(200);
    }
    expect.soft(await rowsAbout([...garbageOrderIds])).toEqual({
      payments: [],
      shipments: [],
      notifications: [],
      orders: [],
    });

    // Valid orders placed after the storm still travel the whole saga.
    const placed = await Promise.all([platform.placeOrder(), platform.placeOrder()]);
    for (const order of placed) {
      await platform.orderReaches(order.id, 'COMPLETED');
      expect(await platform.paymentsOf(order.id)).toHaveLength(1);
      expect(await platform.shipmentsOf(order.id)).toHaveLength(1);
    }
  });

  it('retries a well-formed PaymentCompleted for an order that does not exist, then dead-letters it without applying it', async () => {
    // Not garbage: the order could still be committing, so the saga retries before it gives up.
    const orderId = aGarbageOrderId();
    const before = (await deadLetters()).length;
    const { messageId } = await wire.publish(
      PaymentCompleted,
      validBodyOf(PaymentCompleted, orderId),
      {
        correlationId: orderId,
      },
    );

    const letter = await eventually(
      async () => {
        const found = (await deadLetters()).find(
          (candidate) => candidate.headers['dead-letter-message-id'] === messageId,
        );
        if (!found) throw new Error(`PaymentCompleted ${messageId} is not dead-lettered yet`);
        return found;
      },
      { timeoutMs: 20_000 },
    );
    expect(letter.headers['dead-letter-reason']).toMatch(
      new RegExp(`order ${orderId} does not exist`),
    );
    expect(letter.headers['dead-letter-consumer']).toBe('orders-PaymentCompleted');
    expect(Number(letter.headers['dead-letter-deliveries'])).toBe(2);
    expect((await deadLetters()).length).toBe(before + 1);
    expect(await rowsAbout([orderId])).toEqual({
      payments: [],
      shipments: [],
      notifications: [],
      orders: [],
    });
    expect((await platform.http('orders').get('/health/ready')).status).toBe(200);
  });

  it('refuses every command its sender did not sign as it is (unsigned, another key, another signer, altered), dead-letters it with why, and does no work', async () => {
    const intruder = { app: 'orders', key: generateKeyPairSync('ed25519').privateKey };
    const forgeries: {
      name: string;
      reason: RegExp;
      headers: (command: ForgedCommand) => Record<string, string>;
    }[] = [
      {
        name: 'unsigned',
        reason: /^unsigned command: \w+ is taken only signed by orders$/,
        headers: () => ({}),
      },
      {
        name: 'signed with a key that is not orders’',
        reason: /^signature does not verify: not sent by orders as it is$/,
        headers: (command) => commandSignatureHeaders(intruder, command.fields, command.data),
      },
      {
        name: 'signed by an app that does not send it',
        reason: /^signed by "payments", which does not send \w+$/,
        headers: (command) =>
          commandSignatureHeaders(
            { ...demoSigner(), app: 'payments' },
            command.fields,
            command.data,
          ),
      },
      {
        // Signed by orders for one amount, delivered with another.
        name: 'altered after it was signed',
        reason: /^signature does not verify: not sent by orders as it is$/,
        headers: (command) =>
          commandSignatureHeaders(demoSigner(), command.fields, encoder.encode('{}')),
      },
    ];
    const commands = catalog.filter((message) => message.kind === 'command');
    const before = (await deadLetters()).length;
    const sent = new Map<string, { forgery: string; reason: RegExp }>();
    const orderIds: string[] = [];
    for (const message of commands) {
      for (const forgery of forgeries) {
        const orderId = aGarbageOrderId();
        orderIds.push(orderId);
        const command = forgedCommand(message, validBodyOf(message, orderId), orderId);
        await publishWith(wire, message, command, forgery.headers(command));
        sent.set(command.fields.id, { forgery: forgery.name, reason: forgery.reason });
      }
    }

    await eventually(async () => expect((await deadLetters()).length).toBe(before + sent.size), {
      timeoutMs: 20_000,
    }).catch(() => undefined);
    const refused = Object.fromEntries(
      (await deadLetters())
        .filter((letter) => sent.has(letter.headers['dead-letter-message-id'] ?? ''))
        .map((letter) => {
          const id = letter.headers['dead-letter-message-id'] ?? '';
          const { forgery, reason } = sent.get(id)!;
          const said = letter.headers['dead-letter-reason'] ?? '';
          return [`${letter.headers['dead-letter-subject']} ${forgery}`, reason.test(said) || said];
        }),
    );
    const everyOne = Object.fromEntries(
      commands.flatMap((message) =>
        forgeries.map((forgery) => [`${message.subject} ${forgery.name}`, true]),
      ),
    );
    expect(refused).toEqual(everyOne);
    expect(await rowsAbout(orderIds)).toEqual({
      payments: [],
      shipments: [],
      notifications: [],
      orders: [],
    });
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

interface ForgedCommand {
  readonly fields: Record<'id' | 'type' | 'version' | 'correlationId' | 'causationId', string>;
  readonly data: Uint8Array;
}

function forgedCommand(message: MessageDefinition, body: unknown, orderId: string): ForgedCommand {
  const id = randomUUID();
  return {
    fields: {
      id,
      type: message.name,
      version: String(message.sends),
      correlationId: orderId,
      causationId: id,
    },
    data: encoder.encode(JSON.stringify(body)),
  };
}

/** A command with its headers as given, so that its signature is whatever the test forged. */
async function publishWith(
  wire: Wire,
  message: MessageDefinition,
  command: ForgedCommand,
  signature: Record<string, string>,
): Promise<void> {
  const values = headers();
  values.set('Nats-Msg-Id', command.fields.id);
  values.set('message-type', command.fields.type);
  values.set('message-version', command.fields.version);
  values.set('correlation-id', command.fields.correlationId);
  values.set('causation-id', command.fields.causationId);
  for (const [name, value] of Object.entries(signature)) values.set(name, value);
  await wire.jetstream.publish(message.subject, command.data, {
    msgID: command.fields.id,
    headers: values,
  });
}
