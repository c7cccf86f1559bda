import { describe, expect, it } from 'vitest';
import {
  maxOf,
  minOf,
  percentile,
  perSecond,
  ratePerSecond,
  slope,
  spreadMix,
  summarize,
  summaryPerSecond,
} from './stats.js';

describe(percentile.name, () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank, a value that was observed', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
  });

  it('gives the smallest value at p0 and the only value of one sample', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe(summarize.name, () => {
  it('sorts a copy and reports count, mean and percentiles', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({
      count: 5,
      min: 1,
      mean: 3,
      p50: 3,
      p95: 5,
      p99: 5,
      max: 5,
    });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('has NaN figures for no values', () => {
    expect(summarize([]).p99).toBeNaN();
    expect(summarize([]).count).toBe(0);
  });
});

describe(ratePerSecond.name, () => {
  it('divides by the window in seconds', () => {
    expect(ratePerSecond(400, 1_000, 3_000)).toBe(200);
  });

  it('is 0 for an empty window', () => {
    expect(ratePerSecond(10, 5_000, 5_000)).toBe(0);
  });
});

describe(perSecond.name, () => {
  it('counts timestamps per whole second and drops those outside', () => {
    expect(perSecond([0, 999, 1_000, 2_500, 2_999, 9_000, -1], 3)).toEqual([2, 1, 2]);
  });
});

describe(summaryPerSecond.name, () => {
  it('summarizes each second, null where nothing happened', () => {
    const result = summaryPerSecond(
      [
        { at: 100, value: 10 },
        { at: 900, value: 30 },
        { at: 2_100, value: 5 },
      ],
      3,
    );
    expect(result[0]?.p50).toBe(10);
    expect(result[0]?.max).toBe(30);
    expect(result[1]).toBeNull();
    expect(result[2]?.p99).toBe(5);
  });
});

describe(slope.name, () => {
  it('is the least-squares growth', () => {
    expect(
      slope([
        [0, 100],
        [1, 102],
        [2, 104],
      ]),
    ).toBeCloseTo(2);
  });

  it('is 0 when flat or with too few points', () => {
    expect(
      slope([
        [0, 5],
        [1, 5],
        [2, 5],
      ]),
    ).toBe(0);
    expect(slope([[0, 5]])).toBe(0);
  });
});

describe(spreadMix.name, () => {
  it('places outcomes in proportion, spread through the run', () => {
    const picked = spreadMix({ completed: 80, declined: 10, refunded: 10 }, 100);
    expect(picked.filter((o) => o === 'completed')).toHaveLength(80);
    expect(picked.filter((o) => o === 'declined')).toHaveLength(10);
    expect(picked.filter((o) => o === 'refunded')).toHaveLength(10);
    // Any prefix already has roughly the mix.
    expect(picked.slice(0, 10).filter((o) => o === 'completed')).toHaveLength(8);
  });

  it('leaves out zero weights and refuses an empty mix', () => {
    expect(new Set(spreadMix({ completed: 1, declined: 0 }, 5))).toEqual(new Set(['completed']));
    expect(() => spreadMix({ completed: 0 }, 5)).toThrow(/positive weight/);
  });
});

describe('minOf and maxOf', () => {
  it('handle more values than a spread call could take', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    expect(minOf(many)).toBe(0);
    expect(maxOf(many)).toBe(299_999);
  });
});
