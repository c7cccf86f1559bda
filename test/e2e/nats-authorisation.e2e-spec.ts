import { randomBytes, randomUUID } from 'node:crypto';
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
import { passwordVariable, renderNatsAuthorization } from '../../scripts/nats-auth/render.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';
import { ServiceProcess } from '../support/service-process.js';
import { APPS, anOrderRequest, FLOW_VIEW, Platform, type AppName } from './platform.js';

type NatsUser = AppName | typeof FLOW_VIEW;

/** PostgreSQL here trusts local clients: the password is sent, so it could be logged, but not checked. */
const databasePassword = `db${randomBytes(12).toString('hex')}`;

const USERS: readonly NatsUser[] = [...APPS, FLOW_VIEW];

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

  beforeAll(async () => {
    platform = await Platform.start({
      postgresAdminUrl: `postgres://postgres:${databasePassword}@127.0.0.1:5432/postgres`,
      nats: {
        config: renderNatsAuthorization(),
        env: Object.fromEntries(USERS.map((app) => [passwordVariable(app), passwords[app]])),
        user: 'orders',
        password: passwords.orders,
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
