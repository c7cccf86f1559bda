import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ProcessPayment } from '@app/contracts';
import { inParallel } from '../../e2e/platform.js';
import { eventually } from '../../support/eventually.js';
import { Wire } from '../../support/wire.js';
import type { Fault } from '../fault.js';
import { discardDeadLetters } from '../operator.js';
import { deadLettersOf } from '../verdict.js';

const POISON = 250;
/** The body's size is tried from max_payload minus this, down by STEP, until the message fits. */
const UNDER_MAX_PAYLOAD = 256;
const STEP = 32;

/**
 * A few hundred messages of nearly the largest size the server takes, on a
 * command subject, among the valid orders' commands: each is refused as too
 * large and parked at its first delivery, the letter without its body (which
 * cannot fit beside the letter's headers) but with its reason and size.
 */
export const poisonNearMaxPayload: Fault = {
  name: `${POISON} messages within ${UNDER_MAX_PAYLOAD + STEP} B of max_payload on ${ProcessPayment.subject}`,
  inject: async ({ platform, expectedLetters, notes }) => {
    const wire = await Wire.connect(platform.nats.url);
    try {
      const maxPayload = wire.connection.info!.max_payload;
      // The largest body the client lets through with the contract's headers, found by trying.
      let bodyBytes = maxPayload - UNDER_MAX_PAYLOAD;
      const publishOne = async () => {
        const orderId = randomUUID();
        const start = JSON.stringify({ orderId, amount: 2_500, currency: 'EUR', padding: '' });
        const body = start.replace('""}', `"${'x'.repeat(bodyBytes - start.length)}"}`);
        const { messageId } = await wire.publish(ProcessPayment, undefined, {
          raw: new TextEncoder().encode(body),
        });
        expectedLetters.add(messageId);
      };
      for (;;) {
        try {
          await publishOne();
          break;
        } catch (error) {
          if (!/max_payload/.test(String(error))) throw error;
          bodyBytes -= STEP;
        }
      }
      await inParallel(Array.from({ length: POISON - 1 }), 8, publishOne);
      notes.push(`max_payload ${maxPayload} B, bodies ${bodyBytes} B`);
    } finally {
      await wire.close();
    }
  },
  alsoExpect: async ({ platform, expectedLetters, notes }) => {
    const letters = await eventually(
      async () => {
        const found = (await deadLettersOf(platform)).filter((letter) =>
          expectedLetters.has(letter.messageId),
        );
        expect(found).toHaveLength(POISON);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every poison message parked' },
    );
    notes.push(`${letters.length} parked at the first delivery, without their body`);
    for (const letter of letters) {
      expect(letter.reason).toMatch(/^body too large/);
      expect(letter.deliveries, 'deliveries before it was parked').toBe(1);
      expect(Number(letter.bodyLeftOut)).toBeGreaterThan(maxBodyOf(letter.reason));
    }
    const wire = await Wire.connect(platform.nats.url);
    try {
      // Nothing of it is left to be delivered again.
      expect(await wire.streamMessageCount('COMMANDS', ProcessPayment.subject)).toBe(0);
    } finally {
      await wire.close();
    }
    // They hold nothing to replay: an operator discards them.
    await discardDeadLetters(platform);
  },
};

/** `body too large: 1048000 bytes, at most 262144` → 262144 */
function maxBodyOf(reason: string): number {
  return Number(/at most (\d+)/.exec(reason)?.[1] ?? Number.NaN);
}
