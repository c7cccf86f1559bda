import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessPayment } from '@app/contracts';
import { eventually } from '../support/eventually.js';
import { Wire } from '../support/wire.js';
import { Fleet } from '../rolling-upgrade/fleet.js';
import { OrderStream, type StreamedOrder } from '../rolling-upgrade/order-stream.js';
import { buildReleases } from '../rolling-upgrade/releases.js';
import { APPS, Platform } from './platform.js';

/** How long each phase keeps taking orders once its replicas are in place. */
const STEADY_MS = 3_000;
const PAUSE_BETWEEN_ORDERS_MS = 100;
const HANDED_BACK = /handed back for a newer replica/g;
const ONE_HANDED_BACK = /handed back for a newer replica/;
const EARLY_ROLLBACK = 'payments rolled back too early';

const NOTIFIED: Record<StreamedOrder['expected'], string[]> = {
  COMPLETED: ['OrderCompleted', 'OrderPlaced', 'OrderShipped'],
  CANCELLED: ['OrderCancelled', 'OrderPlaced', 'PaymentDeclined'],
};

interface PhaseRecord {
  readonly name: string;
  readonly handedBack: number;
  readonly builds: string;
}

describe('a rolling upgrade through two releases of a contract change, and back', () => {
  let platform: Platform;
  let wire: Wire;
  let fleet: Fleet;
  /** The version of each ProcessPayment put on the wire, by order. */
  const processPaymentVersions = new Map<string, string>();

  beforeAll(async () => {
    const dists = buildReleases();
    // Nine replicas at the busiest moment, beside other test files on one PostgreSQL.
    // A version 2 is handed back every second, thirty times at most
    // (MESSAGING_NEWER_VERSION_DELIVERIES): payments has 30 s to return, and the
    // replica that finally reads it does not take those deliveries for a crash loop.
    const env = { DATABASE_POOL_SIZE: '4', MESSAGING_NEWER_VERSION_DELAY_MS: '1000' };
    platform = await Platform.start({
      replicas: { orders: 2, payments: 2, shipping: 1, notifications: 2 },
      env: Object.fromEntries(APPS.map((app) => [app, env])),
    });
    fleet = new Fleet(platform, dists);
    wire = await Wire.connect(platform.nats.url);
    wire.connection.subscribe(ProcessPayment.subject, {
      callback: (_error, message) => {
        const { orderId } = message.json<{ orderId: string }>();
        processPaymentVersions.set(orderId, message.headers?.get('message-version') ?? '?');
      },
    });
  });

  afterAll(async () => {
    await wire?.close();
    await platform?.dispose();
  });

  it('ends every order as the rules say, pays and notifies each once, and dead-letters nothing', async () => {
    const stream = new OrderStream(() => platform.replicas('orders'), PAUSE_BETWEEN_ORDERS_MS);
    const phases: PhaseRecord[] = [];
    const handedBack = () =>
      fleet.logs().reduce((sum, logs) => sum + (logs.match(HANDED_BACK)?.length ?? 0), 0);
    async function phase(name: string, rollout: () => Promise<void>): Promise<void> {
      stream.phase = name;
      const before = handedBack();
      await rollout();
      await sleep(STEADY_MS);
      const builds = APPS.map((app) => `${app} ${fleet.describe(app)}`).join(', ');
      phases.push({ name, handedBack: handedBack() - before, builds });
    }
    const ordersOf = (name: string) => stream.orders.filter((order) => order.phase === name);

    stream.phase = 'all today';
    stream.start();
    try {
      await phase('all today', async () => {});
      // Release 1 is safe in any order; its readers of version 2 go first all the same.
      await phase('release 1 rolled out', async () => {
        for (const app of ['payments', 'notifications', 'shipping', 'orders'] as const) {
          await fleet.roll(app, 'today', 'release-1');
        }
      });
      // Only orders changes in release 2: it sends ProcessPayment version 2.
      await phase('release 2 rolled out', () => fleet.roll('orders', 'release-1', 'release-2'));
      // Payments rolled back before orders: its replicas of today meet version 2 and hand it
      // back until payments is rolled forward again, within the hand-back budget.
      await phase(EARLY_ROLLBACK, async () => {
        await fleet.roll('payments', 'release-1', 'today');
        await eventually(
          () =>
            expect(fleet.logs({ app: 'payments', build: 'today' }).join('')).toMatch(
              ONE_HANDED_BACK,
            ),
          { timeoutMs: 30_000, what: 'a version 2 handed back by payments of today' },
        );
        await fleet.roll('payments', 'today', 'release-1');
      });
      await phase('release 2 rolled back', () => fleet.roll('orders', 'release-2', 'release-1'));
      await phase('release 1 rolled back', async () => {
        for (const app of ['orders', 'shipping', 'notifications'] as const) {
          await fleet.roll(app, 'release-1', 'today');
        }
        // Payments of today cannot read version 2: none may be left unhandled when it returns.
        const sentV2 = stream.orders.filter(
          (order) => processPaymentVersions.get(order.id) === '2',
        );
        await eventually(
          async () => {
            const paid = await paymentsByOrder(sentV2.map((order) => order.id));
            expect(paid.size).toBe(sentV2.length);
          },
          { timeoutMs: 30_000, what: 'every ProcessPayment version 2 handled' },
        );
        await fleet.roll('payments', 'release-1', 'today');
      });
    } finally {
      await stream.stop();
    }

    const orders = stream.orders;
    const ids = orders.map((order) => order.id);
    const statusesNow = async () => {
      const rows = await platform.databases.orders.query<{ id: string; status: string }>(
        'SELECT id, status FROM orders WHERE id = ANY($1::uuid[])',
        [ids],
      );
      return new Map(rows.map((row) => [row.id, row.status]));
    };
    const notificationsNow = () =>
      platform.databases.notifications.query<{
        order_id: string;
        event_type: string;
        body: string;
      }>('SELECT order_id, event_type, body FROM notifications WHERE order_id = ANY($1::uuid[])', [
        ids,
      ]);
    // Waited for, not asserted yet: the table below says which phase fell short.
    await eventually(
      async () => {
        const statuses = await statusesNow();
        expect(orders.every((order) => statuses.get(order.id) === order.expected)).toBe(true);
        expect((await notificationsNow()).length).toBeGreaterThanOrEqual(orders.length * 3);
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `${orders.length} orders ended` },
    ).catch(() => undefined);
    // Anything late would still be on its way: a short wait lets a duplicate show.
    await sleep(1_000);
    const statuses = await statusesNow();
    const notifications = await notificationsNow();
    const payments = await paymentsByOrder(ids);
    const deadLetters = await wire.storedMessages('DEADLETTERS', 'dlq.>');

    const table = phases.map(({ name, handedBack: back }) => {
      const inPhase = ordersOf(name);
      const phaseIds = new Set(inPhase.map((order) => order.id));
      const paidTwice = inPhase.filter((order) => (payments.get(order.id)?.count ?? 0) > 1);
      const notifiedTwice = inPhase.filter((order) => {
        const types = notifications.filter((n) => n.order_id === order.id).map((n) => n.event_type);
        return new Set(types).size !== types.length;
      });
      const versions = inPhase.map((order) => processPaymentVersions.get(order.id));
      return {
        phase: name,
        orders: inPhase.length,
        ended: inPhase.filter((order) => statuses.get(order.id) === order.expected).length,
        duplicates: paidTwice.length + notifiedTwice.length,
        'dead letters': deadLetters.filter((letter) =>
          phaseIds.has(letter.headers['correlation-id'] ?? ''),
        ).length,
        'ProcessPayment v1/v2': `${versions.filter((v) => v === '1').length}/${versions.filter((v) => v === '2').length}`,
        'handed back': back,
      };
    });
    console.log(`rolling upgrade, ${orders.length} orders:\n${formatTable(table)}`);
    for (const { name, builds } of phases) console.log(`after "${name}": ${builds}`);
    const reasons = new Set(deadLetters.map((letter) => letter.headers['dead-letter-reason']));
    if (reasons.size > 0) console.log(`dead-letter reasons:\n${[...reasons].join('\n')}`);

    expect([...reasons]).toEqual([]);
    for (const row of table) {
      expect(row, row.phase).toMatchObject({ ended: row.orders, duplicates: 0, 'dead letters': 0 });
      expect(row.orders, row.phase).toBeGreaterThan(0);
    }
    for (const order of orders) {
      const payment = payments.get(order.id);
      expect(payment, order.id).toEqual({ count: 1, amount: order.total });
      const types = notifications
        .filter((n) => n.order_id === order.id)
        .map((n) => n.event_type)
        .sort();
      expect(types, order.id).toEqual(NOTIFIED[order.expected]);
    }

    // Version 2 is sent only by release 2, and payments of today handed back what it met.
    const sentIn = (name: string) =>
      new Set(ordersOf(name).map((o) => processPaymentVersions.get(o.id)));
    expect(sentIn('all today')).toEqual(new Set(['1']));
    expect(sentIn('release 1 rolled out')).toEqual(new Set(['1']));
    expect(sentIn(EARLY_ROLLBACK)).toEqual(new Set(['2']));
    expect(sentIn('release 1 rolled back')).toEqual(new Set(['1']));
    expect(phases.find((p) => p.name === EARLY_ROLLBACK)?.handedBack).toBeGreaterThan(0);

    // The optional field reaches the customer once orders sends it and notifications reads it.
    const placedNotice = (order: StreamedOrder) =>
      notifications.find((n) => n.order_id === order.id && n.event_type === 'OrderPlaced')?.body;
    for (const order of ordersOf('release 2 rolled out')) {
      expect(placedNotice(order)).toMatch(/ placed \d{4}-\d\d-\d\dT/);
    }
    for (const order of ordersOf('all today')) expect(placedNotice(order)).not.toMatch(/ placed /);

    // No handler met a payload it could not read, in any build.
    for (const logs of fleet.logs()) {
      expect(logs).not.toMatch(/schema violation|no longer read|upcasting version|upcast to/);
    }
  }, 300_000);

  async function paymentsByOrder(ids: string[]) {
    const rows = await platform.databases.payments.query<{
      order_id: string;
      count: string;
      amount: string;
    }>(
      'SELECT order_id, count(*), max(amount) AS amount FROM payments WHERE order_id = ANY($1::uuid[]) GROUP BY order_id',
      [ids],
    );
    return new Map(
      rows.map((row) => [row.order_id, { count: Number(row.count), amount: Number(row.amount) }]),
    );
  }
});

function formatTable(rows: Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(columns.map((column) => String(row[column])))),
  ].join('\n');
}
