import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Transactions } from '@app/transactions';
import { eventually, sleep } from '../../../test/support/eventually.js';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';
import { PrivateNatsServer } from '../../../test/support/nats-server.js';
import { Wire } from '../../../test/support/wire.js';
import { RecordProbe } from '../../../test/messaging-probe/src/probe.messages.js';
import { DeadLetters } from '../src/dead-letters/dead-letters.js';
import { ConsumerWorker } from '../src/jetstream/consumer-worker.js';
import type { JetStreamContext } from '../src/jetstream/jetstream.context.js';
import { NatsClient } from '../src/jetstream/nats-client.js';
import { CommandSignatures } from '../src/signing/command-signatures.js';
import { subscriptionFor, topologyOf } from '../src/jetstream/topology.js';
import { messagingDefaults, type MessagingOptions } from '../src/messaging.options.js';
import { messagingMigrations } from '../src/index.js';

/** One consumer worker on a NATS and a database of the test's own, without an app around it. */
describe(ConsumerWorker.name, () => {
  let server: PrivateNatsServer;
  let db: MigratedDatabase;
  let nats: NatsClient;
  let wire: Wire;
  let transactions: Transactions;
  let options: MessagingOptions;
  const subscription = subscriptionFor('probe', RecordProbe);

  beforeAll(async () => {
    server = await PrivateNatsServer.start();
    db = await MigratedDatabase.create('worker', { migrations: messagingMigrations });
    ({ transactions } = db.transactions());
    // More than one message at a time: the pull loop itself never waits for the one in hand.
    options = { ...messagingDefaults, app: 'probe', nats: { url: server.url }, concurrency: 4 };
    nats = await NatsClient.connect(options.nats, options.app);
    await server.provision(topologyOf([{ app: 'probe', subscriptions: [subscription] }]));
    wire = await Wire.connect(server.url);
  });

  afterAll(async () => {
    await wire?.close();
    await nats?.drain();
    await server?.dispose();
    await db?.dispose();
  });

  it('stops pulling, finishes the message in hand and acks it, and only then resolves stop()', async () => {
    const handled: string[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // A failed expectation must not leave the handler holding its transaction.
    onTestFinished(() => release());
    const worker = new ConsumerWorker(
      subscription,
      async (_payload: unknown, context: JetStreamContext) => {
        handled.push(context.getMetadata().messageId);
        await released;
      },
      {
        nats,
        transactions,
        deadLetters: new DeadLetters(nats, options),
        options,
        signatures: new CommandSignatures('messaging-probe', {}),
      },
    );
    await worker.start();
    const { messageId: inHand } = await wire.publish(RecordProbe, { probeId: randomUUID() });
    await eventually(() => expect(handled).toEqual([inHand]));

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(500);
    // A message that comes after stop() began is another replica's to take.
    await wire.publish(RecordProbe, { probeId: randomUUID() });
    await sleep(500);
    expect(stopped, 'stop() resolved while its handler was still running').toBe(false);

    release();
    await stopping;

    // Nothing pulled after stop() began: the later message is still waiting in the stream.
    expect(handled).toEqual([inHand]);
    // The ack left before stop() resolved; the server applies it apart from its API answers, a moment later.
    await eventually(
      async () => {
        const atStop = await nats.manager.consumers.info(
          subscription.stream,
          subscription.consumer,
        );
        expect(atStop.delivered.consumer_seq).toBe(1);
        expect([atStop.num_ack_pending, atStop.num_pending]).toEqual([0, 1]);
      },
      { timeoutMs: 2_000 },
    );
    expect(
      await db.database.query('SELECT message_id FROM inbox WHERE consumer = $1', [
        subscription.consumer,
      ]),
    ).toEqual([{ message_id: inHand }]);
  });
});
