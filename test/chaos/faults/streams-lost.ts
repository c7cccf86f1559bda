import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { ShipOrder } from '@app/contracts';
import { eventually } from '../../support/eventually.js';
import { Wire } from '../../support/wire.js';
import type { Fault } from '../fault.js';
import {
  ORDERS_WAITING_ON_A_LOST_COMMAND,
  deleteStream,
  discardDeadLetters,
  provisionAsOperator,
  streamReportedMissing,
} from '../operator.js';
import { deadLettersOf, judge } from '../verdict.js';

/** Long enough for the orders held in the outboxes meanwhile to be paid once the stream is back. */
const PAYMENT_TIMEOUT_MS = 25_000;
const SHIPPING_TIMEOUT_MS = 25_000;
/** A RefundPayment lost is asked again after this long: the refund then ends the order as it would have. */
const REFUND_TIMEOUT_MS = 5_000;
const PAYMENTS_AWAY_MS = 3_000;
const GARBAGE = 20;
/** Long enough for every relay to have deleted the rows JetStream acknowledged. */
const OUTBOX_SETTLE_MS = 2_000;
/** The orders docs/operations.md's query finds after the repair. */
const suspects = new Set<string>();

/**
 * How an order whose command was lost with its stream ends: by the saga's
 * deadline (a lost RefundPayment is asked again, and ends its order as it would have).
 */
const ENDED_BY_DEADLINE = /^CANCELLED \((payment|shipping) timeout\)$/;

/**
 * The COMMANDS stream deleted while payments is away (its ProcessPayments
 * waiting in it), then the DEADLETTERS stream while garbage arrives. Each
 * loss is reported, and repaired by running provisioning. Commands the server
 * had acknowledged are gone with their stream: their orders end by the saga's
 * deadlines (cancelled, payment timeout). Whatever was still in an outbox, and
 * garbage that had nowhere to be parked, waits and goes through once repaired.
 */
export const streamsLost: Fault = {
  name: 'COMMANDS deleted with payments away for 3 s, then DEADLETTERS deleted, each re-provisioned',
  settings: {
    orders: {
      ORDERS_PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
      ORDERS_SHIPPING_TIMEOUT_MS: String(SHIPPING_TIMEOUT_MS),
      ORDERS_REFUND_TIMEOUT_MS: String(REFUND_TIMEOUT_MS),
    },
  },
  inject: async (context) => {
    const { platform, load, notes, expectedLetters } = context;
    const wire = await Wire.connect(platform.nats.url);
    try {
      await platform.stop('payments');
      await sleep(PAYMENTS_AWAY_MS);
      const waiting = await wire.streamMessageCount('COMMANDS');
      let lostAt = Date.now();
      const [{ now: lostInDatabaseTime } = { now: new Date() }] =
        await platform.databases.orders.query<{ now: Date }>('SELECT now()');
      await deleteStream(platform, 'COMMANDS');
      const commandsSeen = await streamReportedMissing(platform, 'shipping', 'COMMANDS', lostAt);
      // The operator's query, before provisioning: the outbox still holds what was never sent.
      // Run again once the relays have settled: a row published just before the loss may
      // still have been on its way out of the outbox the first time, as docs/operations.md says.
      for (const settle of [0, OUTBOX_SETTLE_MS]) {
        await sleep(settle);
        const found = await platform.databases.orders.query<{ id: string }>(
          ORDERS_WAITING_ON_A_LOST_COMMAND,
          [lostInDatabaseTime],
        );
        found.forEach(({ id }) => suspects.add(id));
      }
      expect(await provisionAsOperator(platform)).toMatch(/stream COMMANDS created/);
      context.repairedAt = load.elapsed();

      const repairedIn = (Date.now() - lostAt) / 1_000;
      // Payments starts only once its streams are there again.
      for (let i = 0; i < 2; i += 1) await platform.startReplica('payments');
      notes.push(
        `COMMANDS: ${waiting} commands in it, reported in ${commandsSeen.toFixed(1)} s, re-provisioned at ${repairedIn.toFixed(1)} s`,
      );

      lostAt = Date.now();
      await deleteStream(platform, 'DEADLETTERS');
      for (let i = 0; i < GARBAGE; i += 1) {
        const raw = Uint8Array.from({ length: 64 }, (_, j) => (i * 31 + j * 97) % 256);
        expectedLetters.add((await wire.publish(ShipOrder, undefined, { raw })).messageId);
      }
      // Nowhere to park it: the garbage stays in COMMANDS, tried again, and says why.
      const lettersSeen = await streamReportedMissing(
        platform,
        'shipping',
        'DEADLETTERS',
        lostAt,
        /cannot dead-letter .*stream DEADLETTERS is missing: run `npm run provision:nats`/,
      );
      expect(await wire.streamMessageCount('COMMANDS', ShipOrder.subject)).toBeGreaterThanOrEqual(
        GARBAGE,
      );
      await provisionAsOperator(platform);
      notes.push(
        `DEADLETTERS: reported in ${lettersSeen.toFixed(1)} s, ${GARBAGE} garbage held meanwhile`,
      );
    } finally {
      await wire.close();
    }
  },
  expectations: async (context, verdict) => {
    const { platform, load, notes, expectedLetters } = context;
    notes.push(`${verdict.lost} orders lost their command: ${summarise(verdict.lostEndings)}`);
    // Nothing stuck: every order ended, those whose command was lost by their deadline.
    expect(verdict).toMatchObject({ orders: load.accepted.length, duplicates: 0, deadLetters: 0 });
    expect(verdict.terminal).toBe(verdict.orders);
    expect(verdict.lost, 'orders whose ProcessPayment was lost with COMMANDS').toBeGreaterThan(0);
    for (const ending of verdict.lostEndings) expect(ending).toMatch(ENDED_BY_DEADLINE);
    // docs/operations.md's query, run after the repair, named each of them.
    expect(verdict.lostIds.filter((id) => !suspects.has(id))).toEqual([]);
    notes.push(`the operator's query named ${suspects.size} orders`);
    // Every order accepted once the stream was back ended as the rules say.
    const after = load.accepted.filter((order) => order.acceptedAt > (context.repairedAt ?? 0));
    expect(after.length).toBeGreaterThan(0);
    const afterRepair = await judge(platform, after, { deadLetters: false });
    expect(afterRepair.problems).toEqual([]);
    // The garbage sent while DEADLETTERS was missing was parked once it was back: not lost.
    await eventually(
      async () => {
        const parked = (await deadLettersOf(platform)).filter((letter) =>
          expectedLetters.has(letter.messageId),
        );
        expect(parked).toHaveLength(GARBAGE);
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'the garbage parked' },
    );
    await discardDeadLetters(platform);
  },
};

/** `CANCELLED (payment timeout) × 19` */
function summarise(endings: string[]): string {
  const counts = new Map<string, number>();
  for (const ending of endings) counts.set(ending, (counts.get(ending) ?? 0) + 1);
  return [...counts].map(([ending, count]) => `${count} ${ending}`).join(', ') || 'none';
}
