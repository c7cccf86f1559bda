import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Fault } from '../fault.js';

const OUTAGE_MS = 30_000;
const PROVIDER_LATENCY_MS = 2_000;

/**
 * PostgreSQL gone for half a minute while every payment takes 2 s at its
 * provider, so handlers are caught inside their transactions: they hold their
 * messages (no attempt spent, nothing parked) and POST /orders says when to
 * come back (503 with Retry-After), never a 500.
 */
export const longDatabaseOutage: Fault = {
  name: `PostgreSQL stopped for ${OUTAGE_MS / 1_000} s, payments' provider taking ${PROVIDER_LATENCY_MS / 1_000} s a call`,
  settings: { payments: { PAYMENTS_PROVIDER_LATENCY_MS: String(PROVIDER_LATENCY_MS) } },
  inject: async ({ postgres }) => {
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.resume();
  },
  alsoExpect: ({ load }) => {
    expect(load.count(503), 'POST /orders answered 503 during the outage').toBeGreaterThan(0);
    expect(load.answers.unavailableWithoutRetryAfter, '503s without Retry-After').toBe(0);
    expect(load.count(500), 'POST /orders answered 500').toBe(0);
  },
};
