import { describe, expect, it } from 'vitest';
import { GROUPABLE_BELOW_MS, HandlerPace } from './handler-pace.js';

describe(HandlerPace.name, () => {
  it('counts a handler as quick only after a few quick runs', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 4; run += 1) pace.record(1);
    expect(pace.quick).toBe(false);
    pace.record(1);
    expect(pace.quick).toBe(true);
  });

  it('counts a handler that waits on a provider as slow, and quick again once it no longer waits', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 10; run += 1) pace.record(1_000);
    expect(pace.quick).toBe(false);
    let runs = 0;
    while (!pace.quick) {
      pace.record(1);
      runs += 1;
    }
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(100);
  });

  it('takes one slow run among quick ones in its stride', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 20; run += 1) pace.record(1);
    pace.record(GROUPABLE_BELOW_MS * 5);
    expect(pace.quick).toBe(true);
  });
});
