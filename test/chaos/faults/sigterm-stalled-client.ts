import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Fault } from '../fault.js';
import { REFUSED } from '../steady-load.js';

/** Kubernetes' default terminationGracePeriodSeconds: past it, SIGKILL. */
const GRACE_PERIOD_MS = 30_000;
/** HTTP_DRAIN_MS as the apps default it. */
const HTTP_DRAIN_MS = 10_000;
const IN_FLIGHT = 10;

/**
 * SIGTERM to an orders replica while a client holds a request half sent (its
 * headers and part of its body, then nothing) and others are in flight: the
 * replica answers those in flight, closes the stalled one after its drain
 * bound, and exits well within a Kubernetes grace period.
 */
export const sigtermWithStalledClient: Fault = {
  name: 'SIGTERM to an orders replica holding a half-sent request',
  inject: async ({ platform, load, notes }) => {
    const victim = platform.replicas('orders')[0]!;
    const stalled = connect(victim.port, '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    const closedByServer = new Promise<number>((resolve) =>
      stalled.once('close', () => resolve(Date.now())),
    );
    stalled.on('error', () => {});
    stalled.write(
      'POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 400\r\n\r\n{"customerId":',
    );
    await sleep(200);

    const inFlight = Array.from({ length: IN_FLIGHT }, () => load.placeOnce(victim));
    // In the replica's hands, not in its listen backlog: a connection the kernel
    // accepted but Node never read is reset when the server closes, as any
    // connection arriving during a shutdown is (Kubernetes' preStop keeps them away).
    await sleep(150);
    const signalledAt = Date.now();
    const exitCode = await platform.terminateReplica('orders', victim);
    const exitedInMs = Date.now() - signalledAt;
    const statuses = await Promise.all(inFlight);
    const closedInMs = (await closedByServer) - signalledAt;
    stalled.destroy();
    await platform.startReplica('orders');

    const answered = statuses.filter((status) => status === 202).length;
    notes.push(
      `exit ${exitCode} in ${(exitedInMs / 1_000).toFixed(1)} s, stalled request closed at ${(closedInMs / 1_000).toFixed(1)} s, in flight ${answered}/${IN_FLIGHT} answered 202`,
    );
    expect(exitCode).toBe(0);
    expect(closedInMs).toBeGreaterThanOrEqual(HTTP_DRAIN_MS - 500);
    expect(exitedInMs).toBeLessThan(GRACE_PERIOD_MS);
    // What was in flight got its answer; a request refused never reached the replica.
    expect(statuses.filter((status) => status !== 202 && status !== REFUSED)).toEqual([]);
    expect(answered).toBeGreaterThan(0);
  },
};
