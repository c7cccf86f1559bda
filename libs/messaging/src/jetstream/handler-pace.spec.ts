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

describe(`${HandlerPace.name}, precisely`, () => {
  it('counts a run that takes GROUPABLE_BELOW_MS or more as slow', () => {
    const atTheLimit = new HandlerPace();
    atTheLimit.record(GROUPABLE_BELOW_MS);
    expect(atTheLimit.quick).toBe(false);

    const justUnder = new HandlerPace();
    justUnder.record(GROUPABLE_BELOW_MS - 0.5);
    expect(justUnder.quick).toBe(true);
  });

  // The window is the latest 16 runs; a quarter of them, 4, must be quick.
  it('judges on the latest 16 runs, quick from the fourth quick one among them', () => {
    const pace = new HandlerPace();
    for (let run = 1; run <= 20; run += 1) pace.record(providerRun);
    const verdicts: boolean[] = [];
    for (let run = 1; run <= 4; run += 1) {
      pace.record(quickRun);
      verdicts.push(pace.quick);
    }
    expect(verdicts).toEqual([false, false, false, true]);

    // Twelve slow runs later, those four quick ones have left the window.
    for (let run = 1; run <= 12; run += 1) pace.record(providerRun);
    expect(pace.quick).toBe(true);
    pace.record(providerRun);
    expect(pace.quick).toBe(false);
  });
});

describe(`${HandlerPace.name}, when new`, () => {
  it('judges a handler that has run fewer than 16 times on the runs it has had', () => {
    const oneInFour = new HandlerPace();
    for (const ms of [providerRun, providerRun, providerRun, quickRun]) oneInFour.record(ms);
    expect(oneInFour.quick).toBe(true);

    const oneInFive = new HandlerPace();
    for (const ms of [providerRun, providerRun, providerRun, providerRun, quickRun]) {
      oneInFive.record(ms);
    }
    expect(oneInFive.quick).toBe(false);
  });
});
