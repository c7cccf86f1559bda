import { describe, expect, it } from 'vitest';
import { GROUPABLE_BELOW_MS, HandlerPace } from './handler-pace.js';

const quickRun = 1;
const providerRun = GROUPABLE_BELOW_MS * 5;

describe(HandlerPace.name, () => {
  it('counts a handler as slow until it has run, and quick after one quick run', () => {
    const pace = new HandlerPace();
    expect(pace.quick).toBe(false);
    pace.record(quickRun);
    expect(pace.quick).toBe(true);
  });

  it('counts a handler that waits on a provider as slow, and quick again once it no longer waits', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 20; run += 1) pace.record(providerRun);
    expect(pace.quick).toBe(false);
    let runs = 0;
    while (!pace.quick) {
      pace.record(quickRun);
      runs += 1;
    }
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThanOrEqual(16);
  });

  it('keeps a quick handler quick while most of its runs are slowed down by a busy machine', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 40; run += 1) pace.record(run % 3 === 0 ? quickRun : providerRun);
    expect(pace.quick).toBe(true);
  });

  it('counts a handler whose quick runs are the exception as slow', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 40; run += 1) pace.record(run % 8 === 0 ? quickRun : providerRun);
    expect(pace.quick).toBe(false);
  });
});
