import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scrape } from '../support/prometheus.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { APPS, Platform } from '../e2e/platform.js';
import { SteadyLoad } from './steady-load.js';
import { allReady, judge, type Verdict } from './verdict.js';

/** A few hundred orders over a minute, spread over the faults below. */
const ORDERS_PER_FAULT = 200;
const LOAD_MS = 30_000;
const FAULT_AT_MS = 8_000;
const OUTAGE_MS = 6_000;
const ACK_WAIT_MS = 4_000;
const SETTLE_MS = 120_000;

/** Settings a production deployment would choose, scaled to a test's minute. */
const RESILIENT = {
  MESSAGING_RETRY_BASE_MS: '500',
  MESSAGING_RETRY_MAX_MS: '5000',
  MESSAGING_CONCURRENCY: '8',
  ORDERS_RATE_LIMIT: '100000',
};

interface Fault {
  readonly name: string;
  /** It makes JetStream deliver a message again while its first attempt is still running. */
  readonly redelivers?: boolean;
  /** Breaks something and repairs it; resolves when the repair is done. */
  readonly inject: (platform: Platform, postgres: PrivatePostgres) => Promise<void>;
}

const faults: Fault[] = [
  {
    name: 'SIGKILL one replica of each app in turn, restarted 3 s later',
    inject: async (platform) => {
      for (const app of APPS) {
        await platform.killReplica(app, 0);
        await sleep(3_000);
        await platform.startReplica(app);
      }
    },
  },
  {
    name: `NATS stopped for ${OUTAGE_MS / 1_000} s`,
    inject: async (platform) => {
      await platform.nats.stop();
      await sleep(OUTAGE_MS);
      await platform.nats.resume();
    },
  },
  {
    name: `PostgreSQL stopped for ${OUTAGE_MS / 1_000} s`,
    inject: async (_platform, postgres) => {
      await postgres.stop();
      await sleep(OUTAGE_MS);
      await postgres.resume();
    },
  },
  {
    name: `a payments replica frozen mid-handler past the ack wait (${(2.5 * ACK_WAIT_MS) / 1_000} s)`,
    redelivers: true,
    inject: async (platform) => {
      const frozen = platform.replicas('payments')[0]!;
      process.kill(frozen.pid!, 'SIGSTOP');
      await sleep(2.5 * ACK_WAIT_MS);
      process.kill(frozen.pid!, 'SIGCONT');
    },
  },
];

interface Row extends Verdict {
  readonly fault: string;
  readonly recoverySeconds: number;
}

/**
 * The delivery guarantees (docs/wire-contract.md) under real faults: while
 * orders flow, one fault at a time, then every accepted order must end as the
 * saga says (docs/saga.md), once.
 */
describe('chaos: nothing lost, nothing twice, under faults', () => {
  let postgres: PrivatePostgres;
  let platform: Platform;
  const rows: Row[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    platform = await Platform.start({
      postgresAdminUrl: postgres.adminUrl,
      replicas: { orders: 2, payments: 2, shipping: 2, notifications: 2 },
      // A consumer setting: provisioned, as a deployment would, not read by the apps.
      topology: { ackWaitMs: ACK_WAIT_MS },
      env: {
        orders: RESILIENT,
        // A slow provider keeps several payments handlers in flight (inside their
        // transactions), so a freeze always catches some mid-way.
        payments: { ...RESILIENT, PAYMENTS_PROVIDER_LATENCY_MS: '1000' },
        shipping: RESILIENT,
        notifications: RESILIENT,
      },
    });
  });

  afterAll(async () => {
    if (rows.length > 0) console.log(table(rows));
    await platform?.dispose();
    await postgres?.dispose();
  });

  it.each(faults.map((fault) => [fault.name, fault] as const))(
    'every accepted order ends once, as the rules say, after: %s',
    async (name, fault) => {
      const duplicatesBefore = await handledTwice(platform);
      const load = new SteadyLoad(platform, ORDERS_PER_FAULT, LOAD_MS);
      await sleep(FAULT_AT_MS);
      await fault.inject(platform, postgres);
      const recoverySeconds = await recovery(platform, load);

      await load.done;
      const verdict = await settled(platform, load);
      rows.push({ fault: name, recoverySeconds, ...verdict });
      if (fault.redelivers) {
        // The fault did what it says: deliveries met work already done, and the inbox absorbed them.
        expect(await handledTwice(platform)).toBeGreaterThan(duplicatesBefore);
      }

      expect(load.rejected, 'orders never accepted').toEqual([]);
      expect(verdict.problems).toEqual([]);
      expect(verdict).toMatchObject({
        orders: ORDERS_PER_FAULT,
        terminal: ORDERS_PER_FAULT,
        duplicates: 0,
        lost: 0,
        deadLetters: 0,
        wrong: 0,
      });
      expect(await allReady(platform)).toBe(true);
    },
  );
});

/** Deliveries that found their message handled before, over every running replica. */
async function handledTwice(platform: Platform): Promise<number> {
  let total = 0;
  for (const app of APPS) {
    for (const replica of platform.replicas(app)) {
      total += (await Scrape.of(replica.adminUrl, replica.adminHeaders)).sum(
        'messaging_messages_duplicate_total',
      );
    }
  }
  return total;
}

/**
 * Seconds from the repair until every replica is ready again and every order
 * accepted before the repair has ended: the time the platform needed to catch up.
 */
async function recovery(platform: Platform, load: SteadyLoad): Promise<number> {
  const repairedAt = Date.now();
  const before = load.accepted.slice();
  const deadline = repairedAt + SETTLE_MS;
  while (Date.now() < deadline) {
    if (
      (await allReady(platform)) &&
      (await judge(platform, before, false)).terminal === before.length
    ) {
      break;
    }
    await sleep(200);
  }
  return (Date.now() - repairedAt) / 1_000;
}

/** Waits until every replica is ready and every accepted order is settled, or SETTLE_MS passed. */
async function settled(platform: Platform, load: SteadyLoad): Promise<Verdict> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const ready = await allReady(platform);
    const verdict = ready ? await judge(platform, load.accepted) : undefined;
    if (verdict && verdict.lost === 0) return verdict;
    if (Date.now() > deadline) return verdict ?? (await judge(platform, load.accepted));
    await sleep(500);
  }
}

function table(rows: Row[]): string {
  const header = [
    'fault',
    'orders',
    'terminal',
    'duplicates',
    'lost',
    'dead letters',
    'recovered in',
  ];
  const lines = rows.map((row) => [
    row.fault,
    String(row.orders),
    String(row.terminal),
    String(row.duplicates),
    String(row.lost),
    String(row.deadLetters),
    `${row.recoverySeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    format(header),
    format(widths.map((width) => '-'.repeat(width))),
    ...lines.map(format),
  ].join('\n');
}
