import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalog,
  OrderPlaced,
  PaymentCompleted,
  ProcessPayment,
  ShipOrder,
  Streams,
  type MessageDefinition,
} from '@app/contracts';
import {
  catalogTopology,
  MONITORING_USER,
  PROVISIONING_USER,
  subscriptionsOf,
} from '@app/messaging';
import { passwordVariable, renderNatsAuthorization } from '../../scripts/nats-auth/render.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';
import { ServiceProcess } from '../support/service-process.js';
import { APPS, anOrderRequest, FLOW_VIEW, Platform, type AppName } from './platform.js';

type NatsUser = AppName | typeof FLOW_VIEW | typeof PROVISIONING_USER | typeof MONITORING_USER;

/** PostgreSQL here trusts local clients: the password is sent, so it could be logged, but not checked. */
const databasePassword = `db${randomBytes(12).toString('hex')}`;

const USERS: readonly NatsUser[] = [...APPS, FLOW_VIEW, PROVISIONING_USER, MONITORING_USER];
const STREAMS = [Streams.Commands, Streams.Events, Streams.DeadLetters] as const;
const ROOT = resolve(import.meta.dirname, '..', '..');

const passwords = Object.fromEntries(
  // nats-server reads the variable as a config value: a password must not look like a number.
  USERS.map((app) => [app, `p${randomBytes(12).toString('hex')}`]),
) as Record<NatsUser, string>;

/**
 * The shipped NATS authorisation (deploy/nats/auth.conf) on a server of the
 * test's own: the apps run the whole flow with their own users, and anything
 * outside an app's role is refused by the server.
 */
describe('NATS authorisation: each app only where its role allows', () => {
  let platform: Platform;
  const connections: NatsConnection[] = [];

  const as = async (app: NatsUser): Promise<NatsConnection> => {
    const connection = await connect({
      servers: platform.nats.url,
      user: app,
      pass: passwords[app],
      inboxPrefix: `_INBOX.${app}`,
    });
    connections.push(connection);
    return connection;
  };

  const storedOn = async (message: MessageDefinition): Promise<number> => {
    const manager = await jetstreamManager(await as('orders'));
    const stream = message.kind === 'command' ? Streams.Commands : Streams.Events;
    const info = await manager.streams.info(stream, { subjects_filter: message.subject });
    return info.state.subjects?.[message.subject] ?? 0;
  };

  const forge = async (app: NatsUser, message: MessageDefinition): Promise<unknown> => {
    const values = headers();
    values.set('Nats-Msg-Id', randomUUID());
    values.set('message-type', message.name);
    values.set('correlation-id', randomUUID());
    const js = jetstream(await as(app), { timeout: 2_000 });
    return js.publish(message.subject, JSON.stringify({ orderId: randomUUID() }), {
      headers: values,
    });
  };

  /** A JetStream API request as `user`: the server refuses it before any JetStream code sees it. */
  const request = async (user: NatsUser, subject: string, body: unknown = {}) =>
    (await as(user)).request(subject, JSON.stringify(body), { timeout: 2_000 });

  const refused = (user: NatsUser, subject: string, body: unknown = {}) =>
    expect(request(user, subject, body), `${user} ${subject}`).rejects.toThrow(
      /permissions violation for publish/i,
    );

  /** What provisioning made, seen by the read-only monitoring user. */
  const inspect = async () => jetstreamManager(await as(MONITORING_USER));

  beforeAll(async () => {
    platform = await Platform.start({
      postgresAdminUrl: `postgres://postgres:${databasePassword}@127.0.0.1:5432/postgres`,
      nats: {
        config: renderNatsAuthorization(),
        env: Object.fromEntries(USERS.map((app) => [passwordVariable(app), passwords[app]])),
        user: 'orders',
        password: passwords.orders,
        provisioningPassword: passwords[PROVISIONING_USER],
      },
      env: Object.fromEntries(
        APPS.map((app) => [app, { NATS_USER: app, NATS_PASSWORD: passwords[app] }]),
      ),
      flowView: { NATS_USER: FLOW_VIEW, NATS_PASSWORD: passwords[FLOW_VIEW] },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(connections.map((connection) => connection.close()));
    await platform?.dispose();
  });

  it('runs every path of the saga with each app connected as its own user', async () => {
    const completed = await platform.placeOrder();
    const declined = await platform.placeOrder(anOrderRequest({ unitPrice: 200_000 }));
    const refunded = await platform.placeOrder(anOrderRequest({ country: 'ZZ' }));
    await platform.orderReaches(completed.id, 'COMPLETED');
    await platform.orderReaches(declined.id, 'CANCELLED');
    const cancelled = await platform.orderReaches(refunded.id, 'CANCELLED');
    expect(cancelled.history.map((step) => step.messageType)).toContain('PaymentRefunded');
    await eventually(async () => {
      expect(await platform.notificationsOf({ orderId: completed.id })).toHaveLength(3);
    });
    for (const app of APPS) {
      const response = await platform.admin(app).get('/dead-letters?limit=100');
      expect(response.status, app).toBe(200);
      expect(response.body).toEqual({ deadLetters: [], nextCursor: null });
    }
  });

  it('replays a dead-lettered event to its subscriber without the right to publish it', async () => {
    const notifications = platform.databases.notifications;
    await notifications.query('ALTER TABLE notifications RENAME TO notifications_away');
    const placed = await platform.placeOrder();
    await platform.orderReaches(placed.id, 'COMPLETED');
    const letters = await eventually(async () => {
      const response = await platform.admin('notifications').get('/dead-letters');
      const found = (response.body as { deadLetters: Array<{ messageType: string }> }).deadLetters;
      expect(found.map((letter) => letter.messageType).sort()).toEqual([
        'OrderCompleted',
        'OrderPlaced',
        'OrderShipped',
      ]);
      return found;
    });
    await notifications.query('ALTER TABLE notifications_away RENAME TO notifications');
    const events = await storedOn(OrderPlaced);

    const replay = await platform.admin('notifications').post('/dead-letters/replay');
    expect(replay.body).toEqual({ replayed: letters.length, failedCount: 0, failed: [] });
    expect(await platform.notificationsOf({ orderId: placed.id })).toHaveLength(3);
    // Handled where it failed: nothing was published again.
    expect(await storedOn(OrderPlaced)).toBe(events);
  });

  it('writes no password to any log, whatever happens', async () => {
    const secrets = [databasePassword, ...Object.values(passwords)];
    const failing = [
      `postgres://payments:${databasePassword}@127.0.0.1:${await freePort()}/payments`,
      `postgres://payments:${databasePassword}@127.0.0.1:5432/not-a-name!`,
    ];
    const logs = APPS.map((app) => platform.logs(app));
    for (const url of failing) {
      const service = await ServiceProcess.start({
        entry: 'dist/apps/payments/main.js',
        env: {
          NATS_URL: platform.nats.url,
          NATS_USER: 'payments',
          NATS_PASSWORD: passwords.payments,
          DATABASE_URL: url,
        },
      });
      expect(await service.exited).toBe(1);
      logs.push(service.logs);
    }
    expect(logs.join('\n')).toMatch(/cannot reach PostgreSQL|must name a database/);
    for (const secret of secrets) expect(logs.join('\n')).not.toContain(secret);
  });

  it.each([
    ['payments', OrderPlaced.name],
    ['shipping', PaymentCompleted.name],
    ['orders', PaymentCompleted.name],
    ['notifications', ProcessPayment.name],
    ['payments', ShipOrder.name],
    [FLOW_VIEW, ProcessPayment.name],
    [FLOW_VIEW, OrderPlaced.name],
  ] as const)('refuses %s publishing %s', async (app, name) => {
    const message = catalog.find((candidate) => candidate.name === name)!;
    const before = await storedOn(message);
    await expect(forge(app, message)).rejects.toThrow(/permission|timeout/i);
    expect(await storedOn(message)).toBe(before);
  });

  it('lets the flow view watch every command and event of an order, and publish nothing on core NATS', async () => {
    const flowView = await as(FLOW_VIEW);
    const seen: string[] = [];
    for (const subject of ['cmd.>', 'evt.>']) {
      flowView.subscribe(subject, {
        callback: (_, message) => {
          seen.push(message.subject);
        },
      });
    }
    await flowView.flush();
    expect(await platform.flowView.ready()).toBeDefined();
    const placed = await platform.placeOrder();
    await platform.orderReaches(placed.id, 'COMPLETED');
    await eventually(() => {
      expect(seen).toEqual(expect.arrayContaining([ProcessPayment.subject, OrderPlaced.subject]));
    });

    const refused = new Promise<string>((resolve) => {
      void (async () => {
        for await (const status of flowView.status())
          if (status.type === 'error') resolve(String(status.error));
      })();
    });
    flowView.publish(PaymentCompleted.subject, JSON.stringify({ orderId: randomUUID() }));
    await flowView.flush();
    expect(await refused).toMatch(/permissions violation for publish/i);
  });

  it.each(APPS)('refuses %s creating, updating, purging or deleting any stream', async (app) => {
    const manager = await inspect();
    for (const stream of STREAMS) {
      const before = await manager.streams.info(stream);
      for (const action of ['CREATE', 'UPDATE', 'PURGE', 'DELETE']) {
        await refused(app, `$JS.API.STREAM.${action}.${stream}`, {
          ...before.config,
          max_bytes: 1,
        });
      }
      await refused(app, `$JS.API.STREAM.CREATE.MINE`, { name: 'MINE', subjects: ['mine.>'] });
      const after = await manager.streams.info(stream);
      expect(after.config).toEqual(before.config);
      expect(after.state.first_seq).toBe(before.state.first_seq);
    }
  });

  it.each(APPS)(
    'refuses %s creating, re-creating with another filter, or deleting a consumer, its own included',
    async (app) => {
      const manager = await inspect();
      const own = subscriptionsOf(app)[0]!;
      const before = await manager.consumers.info(own.stream, own.consumer);
      const other = own.stream === Streams.Commands ? 'cmd.shipping.ShipOrder' : 'evt.>';
      const config = { ...before.config, filter_subject: other };
      const body = { stream_name: own.stream, config };
      await refused(app, `$JS.API.CONSUMER.CREATE.${own.stream}.${own.consumer}.${other}`, body);
      await refused(app, `$JS.API.CONSUMER.CREATE.${own.stream}.${own.consumer}`, body);
      await refused(app, `$JS.API.CONSUMER.DURABLE.CREATE.${own.stream}.${own.consumer}`, body);
      await refused(app, `$JS.API.CONSUMER.DELETE.${own.stream}.${own.consumer}`);
      // An ephemeral consumer, with any filter, is a consumer too.
      await refused(app, `$JS.API.CONSUMER.CREATE.${own.stream}`, {
        stream_name: own.stream,
        config: { ack_policy: 'explicit', filter_subject: other },
      });
      expect((await manager.consumers.info(own.stream, own.consumer)).config).toEqual(
        before.config,
      );
    },
  );

  it.each(APPS)(
    "refuses %s reading, consuming or deleting another app's dead letters",
    async (app) => {
      const owner = APPS.find((candidate) => candidate !== app)!;
      // The owner parks a letter of its own, as its consumers do.
      const stored = await jetstream(await as(owner)).publish(
        `dlq.${owner}.Forged`,
        JSON.stringify({ orderId: randomUUID() }),
      );
      const letters = `${owner}-dead-letters`;
      await refused(app, `$JS.API.STREAM.MSG.GET.${Streams.DeadLetters}`, { seq: stored.seq });
      await refused(app, `$JS.API.STREAM.MSG.GET.${Streams.DeadLetters}`, {
        next_by_subj: `dlq.${owner}.>`,
      });
      await refused(app, `$JS.API.STREAM.MSG.DELETE.${Streams.DeadLetters}`, { seq: stored.seq });
      await refused(app, `$JS.API.STREAM.INFO.${Streams.DeadLetters}`, {
        subjects_filter: `dlq.${owner}.>`,
      });
      await refused(app, `$JS.API.CONSUMER.INFO.${Streams.DeadLetters}.${letters}`);
      await refused(app, `$JS.API.CONSUMER.MSG.NEXT.${Streams.DeadLetters}.${letters}`, {
        batch: 1,
        expires: 1_000_000_000,
      });
      await refused(app, `$JS.API.CONSUMER.CREATE.${Streams.DeadLetters}`, {
        stream_name: Streams.DeadLetters,
        config: { ack_policy: 'explicit', filter_subject: `dlq.${owner}.>` },
      });
      // Nor acknowledge (on a work queue: delete) what the owner's consumer delivers.
      const ack = `$JS.ACK.${Streams.DeadLetters}.${letters}.1.${stored.seq}.1.0.0`;
      await refused(app, ack);
      // Nor park a letter under the owner's name.
      await refused(app, `dlq.${owner}.Forged`);

      const kept = await (
        await inspect()
      ).streams.getMessage(Streams.DeadLetters, {
        seq: stored.seq,
      });
      expect(kept?.subject).toBe(`dlq.${owner}.Forged`);
      // Taken back by its owner, as a replay would after handling it.
      const consumer = await jetstream(await as(owner)).consumers.get(Streams.DeadLetters, letters);
      for (;;) {
        const letter = await consumer.next({ expires: 2_000 });
        if (!letter) break;
        if (letter.seq === stored.seq) {
          await letter.ackAck();
          break;
        }
        letter.nak();
      }
    },
  );

  it('lets monitoring read streams, consumers and stored messages, and change or publish nothing', async () => {
    const manager = await inspect();
    const names: string[] = [];
    for await (const name of manager.streams.names()) names.push(name);
    expect(names.sort()).toEqual([...STREAMS].sort());
    const info = await manager.consumers.info(Streams.Commands, 'payments-ProcessPayment');
    expect(info.config.filter_subject).toBe(ProcessPayment.subject);
    for (const stream of STREAMS) {
      await refused(MONITORING_USER, `$JS.API.STREAM.PURGE.${stream}`);
      await refused(MONITORING_USER, `$JS.API.STREAM.DELETE.${stream}`);
      await refused(MONITORING_USER, `$JS.API.STREAM.MSG.DELETE.${stream}`, { seq: 1 });
    }
    await refused(MONITORING_USER, `$JS.API.CONSUMER.CREATE.${Streams.Events}`, {
      stream_name: Streams.Events,
      config: { ack_policy: 'explicit' },
    });
    await refused(MONITORING_USER, ProcessPayment.subject);
  });

  it('lets provisioning manage streams and consumers and move commands no consumer takes to the dead letters, and publish, read or delete no other message', async () => {
    for (const message of [ProcessPayment, OrderPlaced]) {
      await refused(PROVISIONING_USER, message.subject);
    }
    for (const stream of [Streams.Events, Streams.DeadLetters]) {
      await refused(PROVISIONING_USER, `$JS.API.STREAM.MSG.GET.${stream}`, { seq: 1 });
      await refused(PROVISIONING_USER, `$JS.API.STREAM.MSG.DELETE.${stream}`, { seq: 1 });
    }
    for (const stream of STREAMS)
      await refused(PROVISIONING_USER, `$JS.API.STREAM.PURGE.${stream}`);
    // What moving a command takes, answered by JetStream rather than refused by the server:
    // reading it from COMMANDS and removing it (no such message here).
    for (const operation of ['GET', 'DELETE']) {
      const answer = await request(
        PROVISIONING_USER,
        `$JS.API.STREAM.MSG.${operation}.${Streams.Commands}`,
        { seq: 1_000_000 },
      );
      expect(answer.json<{ error?: { code: number } }>().error?.code, operation).toBeGreaterThan(0);
    }
  });

  it('corrects a consumer whose filter was changed, with one line per difference, and the flow goes on', async () => {
    const provisioning = await jetstreamManager(await as(PROVISIONING_USER));
    const consumer = 'notifications-OrderPlaced';
    const found = await provisioning.consumers.info(Streams.Events, consumer);
    await provisioning.consumers.delete(Streams.Events, consumer);
    await provisioning.consumers.add(Streams.Events, {
      ...found.config,
      filter_subject: PaymentCompleted.subject,
      ack_wait: 5_000_000_000,
    });
    // Reported by the app that reads it, which keeps serving meanwhile.
    await eventually(async () => {
      const { code, body } = await platform.replicas('notifications')[0]!.readiness();
      expect(code).toBe(200);
      expect(body.checks).toContainEqual(
        expect.objectContaining({
          name: `consumer EVENTS/${consumer}`,
          ok: false,
          detail: expect.stringContaining(`filters "${PaymentCompleted.subject}"`),
        }),
      );
    });

    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'provision:nats'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NATS_URL: platform.nats.url,
        NATS_USER: PROVISIONING_USER,
        NATS_PASSWORD: passwords[PROVISIONING_USER],
      },
    });
    expect(stdout.split('\n').filter((line) => line.includes(consumer))).toEqual([
      `consumer EVENTS/${consumer} filter_subject is "${PaymentCompleted.subject}", the catalog says "${OrderPlaced.subject}": deleted and created again`,
      `consumer EVENTS/${consumer} ack_wait is 5000000000, the catalog says 30000000000: deleted and created again`,
    ]);
    const corrected = await provisioning.consumers.info(Streams.Events, consumer);
    expect(corrected.config.filter_subject).toBe(OrderPlaced.subject);
    // Once more: nothing left to change.
    const again = await platform.nats.provision(catalogTopology());
    expect(again.changed).toBe(0);

    const placed = await platform.placeOrder();
    await platform.orderReaches(placed.id, 'COMPLETED');
    await eventually(async () => {
      const kinds = (await platform.notificationsOf({ orderId: placed.id })) as Array<{
        kind?: string;
      }>;
      expect(kinds).toHaveLength(3);
    });
  });

  it("refuses an app pulling another app's commands", async () => {
    const notifications = await as('notifications');
    const consumers = jetstream(notifications, { timeout: 2_000 }).consumers;
    await expect(
      consumers.get(Streams.Commands, 'payments-ProcessPayment').then((c) => c.next()),
    ).rejects.toThrow(/permission|timeout/i);
  });

  it('refuses a client without a user, and a wrong password', async () => {
    await expect(connect({ servers: platform.nats.url, reconnect: false })).rejects.toThrow(
      /authorization/i,
    );
    await expect(
      connect({ servers: platform.nats.url, reconnect: false, user: 'orders', pass: 'wrong' }),
    ).rejects.toThrow(/authorization/i);
  });

  it.each([
    [{}, /NATS at \S+ requires a user: set NATS_USER and NATS_PASSWORD/],
    [
      { NATS_USER: 'payments', NATS_PASSWORD: 'wrong' },
      /NATS at \S+ refused user \W+payments\W+ check NATS_USER and NATS_PASSWORD/,
    ],
  ])(
    'says in one line what is wrong when the credentials are not right (%o)',
    async (env, line) => {
      const service = await ServiceProcess.start({
        entry: 'dist/apps/payments/main.js',
        env: { NATS_URL: platform.nats.url, DATABASE_URL: platform.databases.payments.url, ...env },
      });
      expect(await service.exited).toBe(1);
      expect(service.logs).toMatch(line);
      expect(service.logs).not.toMatch(/^\s+at /m);
    },
  );
});
