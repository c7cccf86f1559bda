import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { lockTable } from '../../support/table-lock.js';
import type { Fault } from '../fault.js';

const LOCK_TIMEOUT_MS = 1_000;
const LOCK_HELD_MS = 8_000;

/**
 * An operator's transaction holds the orders table: with a lock timeout of a
 * second, POST /orders answers 503 at once instead of waiting behind it, and
 * the messages for orders are held, not spent, until the lock is gone.
 */
export const tableLocked: Fault = {
  name: `the orders table locked for ${LOCK_HELD_MS / 1_000} s (lock timeout ${LOCK_TIMEOUT_MS / 1_000} s)`,
  settings: { orders: { DATABASE_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) } },
  inject: async ({ platform }) => {
    const lock = await lockTable(platform.databases.orders.url, 'orders');
    await sleep(LOCK_HELD_MS);
    await lock.release();
  },
  alsoExpect: ({ load, notes }) => {
    notes.push(`slowest 503 ${(load.answers.slowestUnavailableMs / 1_000).toFixed(1)} s`);
    expect(load.count(503), 'POST /orders answered 503 behind the lock').toBeGreaterThan(0);
    expect(load.answers.unavailableWithoutRetryAfter, '503s without Retry-After').toBe(0);
    // It did not wait for the lock to go: it gave up after the lock timeout.
    expect(load.answers.slowestUnavailableMs).toBeLessThan(LOCK_HELD_MS / 2);
    expect(load.answers.unanswered, 'POSTs without an answer in 5 s').toBe(0);
    expect(load.count(500), 'POST /orders answered 500').toBe(0);
  },
};
