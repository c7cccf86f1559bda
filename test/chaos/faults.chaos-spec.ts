import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scrape } from '../support/prometheus.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { APPS, Platform, type AppName } from '../e2e/platform.js';
import { ACK_WAIT_MS, type Fault, type FaultContext } from './fault.js';
import { lateShipments } from './faults/late-shipments.js';
import { longDatabaseOutage } from './faults/long-database-outage.js';
import { poisonNearMaxPayload } from './faults/poison-near-max-payload.js';
import { processesAndOutages } from './faults/processes-and-outages.js';
import { refundLost } from './faults/refund-lost.js';
import { sigtermWithStalledClient } from './faults/sigterm-stalled-client.js';
import { streamsLost } from './faults/streams-lost.js';
import { tableLocked } from './faults/table-locked.js';
import { SteadyLoad } from './steady-load.js';
import { faultTable, recoverySeconds, settled, type FaultRow } from './settling.js';
import { allReady, type JudgeOptions } from './verdict.js';

/** 200 orders over 30 s per fault, the fault 8 s in. */
const ORDERS_PER_FAULT = 200;
const LOAD_MS = 30_000;
const FAULT_AT_MS = 8_000;

/** Settings a production deployment would choose, scaled to a test's minute. */
const RESILIENT = {
  MESSAGING_RETRY_BASE_MS: '500',
  MESSAGING_RETRY_MAX_MS: '5000',
  MESSAGING_CONCURRENCY: '8',
  ORDERS_RATE_LIMIT: '100000',
};

/** In this order: faults needing the same settings of an app follow one another. */
const faults: Fault[] = [
  ...processesAndOutages,
  longDatabaseOutage,
  poisonNearMaxPayload,
  sigtermWithStalledClient,
  tableLocked,
  refundLost,
  lateShipments,
  streamsLost,
];

interface Row extends FaultRow {
  readonly notes: string[];
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
  /** The settings each app's replicas run with now, over the suite's. */
  const current = new Map<AppName, string>(APPS.map((app) => [app, '{}']));

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

  /** Rolls each app over to the fault's settings, where they differ from those it runs with. */
  async function settle(fault: Fault): Promise<void> {
    for (const app of APPS) {
      const settings = fault.settings?.[app] ?? {};
      if (current.get(app) === JSON.stringify(settings)) continue;
      await platform.replaceReplicas(app, settings);
      current.set(app, JSON.stringify(settings));
    }
  }

  it.each(faults.map((fault) => [fault.name, fault] as const))(
    'every accepted order ends once, as the rules say, after: %s',
    async (name, fault) => {
      await settle(fault);
      const duplicatesBefore = await handledTwice(platform);
      const load = new SteadyLoad(platform, ORDERS_PER_FAULT, LOAD_MS);
      const context: FaultContext = {
        platform,
        postgres,
        load,
        notes: [],
        expectedLetters: new Set(),
      };
      const judging: JudgeOptions = {
        ...fault.judging,
        deadLetters: true,
        expectedLetters: context.expectedLetters,
      };
      await sleep(FAULT_AT_MS);
      await fault.inject(context);
      const recovered = await recoverySeconds(platform, load, judging);

      await load.done;
      const verdict = await settled(platform, load, judging, fault.expectations !== undefined);
      const answers = [...load.answers.byStatus]
        .filter(([status]) => status !== 202)
        .map(([status, count]) => `${count} × ${status}`);
      if (load.answers.unanswered > 0) answers.push(`${load.answers.unanswered} × none`);
      if (answers.length > 0) context.notes.unshift(`POST answered ${answers.join(', ')}`);
      context.notes.push(`slowest POST ${(load.answers.slowestMs / 1_000).toFixed(1)} s`);
      // The fault's checks below may add to its notes.
      rows.push({ fault: name, recoverySeconds: recovered, notes: context.notes, ...verdict });
      if (fault.redelivers) {
        // The fault did what it says: deliveries met work already done, and the inbox absorbed them.
        expect(await handledTwice(platform)).toBeGreaterThan(duplicatesBefore);
      }

      expect(load.rejected, 'orders never accepted').toEqual([]);
      expect(load.count(500), 'POST /orders answered 500').toBe(0);
      if (fault.expectations) {
        await fault.expectations(context, verdict);
      } else {
        expect(verdict.problems).toEqual([]);
        expect(verdict).toMatchObject({
          orders: load.accepted.length,
          terminal: load.accepted.length,
          duplicates: 0,
          lost: 0,
          deadLetters: 0,
          wrong: 0,
        });
      }
      await fault.alsoExpect?.(context, verdict);
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

function table(rows: Row[]): string {
  return faultTable(rows, {
    title: 'also measured',
    cell: (row) => row.notes.join('; '),
  });
}
