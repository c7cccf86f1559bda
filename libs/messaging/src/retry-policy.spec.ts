import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  afterNewerVersion,
  crashLoopDeliveries,
  retryDelay,
} from './retry-policy.js';

const policy = { maxAttempts: 5, retryBaseDelayMs: 100, retryMaxDelayMs: 1_000 };

describe('retry policy', () => {
  it('doubles the delay after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, policy))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('retries until the last attempt, then dead-letters', () => {
    expect(afterFailure(1, policy)).toEqual({ action: 'retry', delayMs: 100 });
    expect(afterFailure(4, policy)).toEqual({ action: 'retry', delayMs: 800 });
    expect(afterFailure(5, policy)).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters at once when one attempt is all there is', () => {
    expect(afterFailure(1, { ...policy, maxAttempts: 1 })).toEqual({ action: 'dead-letter' });
  });

  it('hands a newer version back with a fixed delay, then dead-letters it after the bound', () => {
    const newer = { newerVersionDelayMs: 10_000, newerVersionDeliveries: 3 };

    expect(afterNewerVersion(1, newer)).toEqual({ action: 'retry', delayMs: 10_000 });
    expect(afterNewerVersion(2, newer)).toEqual({ action: 'retry', delayMs: 10_000 });
    expect(afterNewerVersion(3, newer)).toEqual({ action: 'dead-letter' });
  });
});

describe(crashLoopDeliveries.name, () => {
  const policy = { maxAttempts: 5, newerVersionDeliveries: 30 };

  it('takes a first-version message delivered past twice its attempts for a crash loop', () => {
    expect(crashLoopDeliveries(1, policy)).toBe(10);
  });

  it('does not count against a later version the deliveries older replicas may have handed back', () => {
    expect(crashLoopDeliveries(2, policy)).toBe(40);
  });
});
