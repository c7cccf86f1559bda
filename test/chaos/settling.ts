import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsDeployment, Platform } from '../e2e/platform.js';
import type { SteadyLoad } from './steady-load.js';
import { allReady, judge, type Verdict } from './verdict.js';

/** How long the platform gets, after a repair, to end every order. */
export const SETTLE_MS = 120_000;

/**
 * Seconds from the repair until every replica is ready again and every order
 * accepted before the repair has ended: the time the platform needed to catch up.
 */
export async function recoverySeconds(
  platform: Platform<NatsDeployment>,
  load: SteadyLoad,
): Promise<number> {
  const repairedAt = Date.now();
  const before = load.accepted.slice();
  const deadline = repairedAt + SETTLE_MS;
  while (Date.now() < deadline) {
    if (
      (await allReady(platform)) &&
      (await judge(platform, before, { deadLetters: false })).terminal === before.length
    ) {
      break;
    }
    await sleep(200);
  }
  return (Date.now() - repairedAt) / 1_000;
}

/** Waits until every replica is ready and every accepted order is settled, or SETTLE_MS passed. */
export async function settled(
  platform: Platform<NatsDeployment>,
  load: SteadyLoad,
): Promise<Verdict> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const ready = await allReady(platform);
    const verdict = ready ? await judge(platform, load.accepted) : undefined;
    if (verdict && verdict.lost === 0) return verdict;
    if (Date.now() > deadline) return verdict ?? (await judge(platform, load.accepted));
    await sleep(500);
  }
}
