import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, headers, nanos } from '@nats-io/transport-node';
import pg from 'pg';
import { PaymentCompleted, ProcessPayment, ShipOrder } from '@app/contracts';
import { PrivateNatsServer } from '../test/support/nats-server.js';
import { TestDatabase } from '../test/support/test-database.js';

export interface BaselineResult {
  /** JetStream publishes per second, each with a Nats-Msg-Id, acked by the server. */
  readonly publishPerSecond: number;
  /** JetStream messages pulled and acked per second from one durable consumer. */
  readonly consumePerSecond: number;
  /** Commits per second of an inbox insert + row update + outbox insert transaction. */
  readonly postgresCommitsPerSecond: number;
  readonly settings: {
    readonly messages: number;
    readonly publishWindow: number;
    readonly consumeBatch: number;
    readonly postgresConnections: number;
    readonly postgresSeconds: number;
  };
}

const STREAM = 'BENCH_BASELINE';
const SUBJECT = 'bench.baseline.message';
/** Publishes in flight at once: the relay publishes a batch of up to 256 rows the same way. */
const PUBLISH_WINDOW = 256;
const CONSUME_BATCH = 1_000;
const POSTGRES_CONNECTIONS = 16;
const ROWS = 10_000;

/**
 * The ceilings of this machine with the clients the platform uses, on a
 * nats-server and a database of the bench's own: what the platform's
 * throughput is measured against.
 */
export async function measureBaseline(options: {
  messages: number;
  postgresSeconds: number;
}): Promise<BaselineResult> {
  const nats = await PrivateNatsServer.start();
  let publishPerSecond: number;
  let consumePerSecond: number;
  try {
    ({ publishPerSecond, consumePerSecond } = await measureJetStream(nats.url, options.messages));
  } finally {
    await nats.dispose();
  }
  const postgresCommitsPerSecond = await measurePostgres(options.postgresSeconds);
  return {
    publishPerSecond,
    consumePerSecond,
    postgresCommitsPerSecond,
    settings: {
      messages: options.messages,
      publishWindow: PUBLISH_WINDOW,
      consumeBatch: CONSUME_BATCH,
      postgresConnections: POSTGRES_CONNECTIONS,
      postgresSeconds: options.postgresSeconds,
    },
  };
}

async function measureJetStream(url: string, count: number) {
  // The platform's own connection settings: noAsyncTraces roughly doubles publish throughput.
  const connection = await connect({ servers: url, noAsyncTraces: true });
  try {
    const manager = await jetstreamManager(connection);
    await manager.streams.add({
      name: STREAM,
      subjects: [SUBJECT],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    });
    const client = jetstream(connection);
    // A body and headers of the size the platform sends.
    const body = new TextEncoder().encode(
      JSON.stringify({
        orderId: randomUUID(),
        customerId: randomUUID(),
        amount: 2500,
        currency: 'EUR',
      }),
    );
    const publishStarted = performance.now();
    const window = new Set<Promise<unknown>>();
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      const values = headers();
      values.set('message-type', ProcessPayment.name);
      values.set('correlation-id', id);
      values.set('causation-id', id);
      values.set('traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
      const publish = client
        .publish(SUBJECT, body, { msgID: id, headers: values })
        .finally(() => window.delete(publish));
      window.add(publish);
      if (window.size >= PUBLISH_WINDOW) await Promise.race(window);
    }
    await Promise.all(window);
    const publishPerSecond = (count * 1_000) / (performance.now() - publishStarted);

    await manager.consumers.add(STREAM, {
      durable_name: 'baseline',
      ack_policy: AckPolicy.Explicit,
      max_ack_pending: 10_000,
    });
    const consumer = await client.consumers.get(STREAM, 'baseline');
    const consumeStarted = performance.now();
    const messages = await consumer.consume({ max_messages: CONSUME_BATCH });
    let acked = 0;
    for await (const message of messages) {
      message.ack();
      acked += 1;
      if (acked === count) break;
    }
    // The acks are on the wire, not only buffered, when the clock stops.
    await connection.flush();
    const consumePerSecond = (count * 1_000) / (performance.now() - consumeStarted);
    return { publishPerSecond, consumePerSecond };
  } finally {
    await connection.close();
  }
}

async function measurePostgres(seconds: number): Promise<number> {
  const database = await TestDatabase.create('bench');
  const clients: pg.Client[] = [];
  try {
    await database.query(`
      CREATE TABLE inbox (consumer text NOT NULL, message_id text NOT NULL, message_type text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, message_id))`);
    await database.query(`
      CREATE TABLE outbox (position bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, subject text NOT NULL,
        headers jsonb NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await database.query(`
      CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL)`);
    await database.query(
      `INSERT INTO orders SELECT i, 'PENDING', now() FROM generate_series(1, ${ROWS}) AS i`,
    );
    for (let i = 0; i < POSTGRES_CONNECTIONS; i += 1) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      clients.push(client);
    }
    const headersJson = JSON.stringify({
      'message-type': ShipOrder.name,
      'correlation-id': randomUUID(),
    });
    const payload = JSON.stringify({
      orderId: randomUUID(),
      paymentId: randomUUID(),
      amount: 2500,
    });
    const deadline = performance.now() + seconds * 1_000;
    const started = performance.now();
    let commits = 0;
    // One saga step: claim the message, change the state, record the next message; one commit.
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          await client.query('BEGIN');
          await client.query(
            'INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
            [`orders-${PaymentCompleted.name}`, randomUUID(), PaymentCompleted.name],
          );
          await client.query('UPDATE orders SET status = $2, updated_at = now() WHERE id = $1', [
            1 + Math.floor(Math.random() * ROWS),
            'PAID',
          ]);
          await client.query(
            'INSERT INTO outbox (id, subject, headers, payload) VALUES ($1, $2, $3, $4)',
            [randomUUID(), ShipOrder.subject, headersJson, payload],
          );
          await client.query('COMMIT');
          commits += 1;
        }
      }),
    );
    return (commits * 1_000) / (performance.now() - started);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await database.drop();
  }
}
