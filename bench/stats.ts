/** Pure helpers for the figures of a run: no I/O, so they are unit-tested. */

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Nearest-rank percentile of an ascending array: the smallest value with at
 * least `p` percent of the values at or below it, so p99 is always a value
 * that was really observed (no interpolation between two latencies).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted.length ? (sorted[0] as number) : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** Events per second over [from, to] in ms; 0 for an empty or reversed window. */
export function ratePerSecond(count: number, fromMs: number, toMs: number): number {
  const seconds = (toMs - fromMs) / 1_000;
  return seconds > 0 ? count / seconds : 0;
}

/** Counts of timestamps (ms since the run started) per whole second. */
export function perSecond(timestampsMs: readonly number[], seconds: number): number[] {
  const buckets = Array.from({ length: Math.max(0, seconds) }, () => 0);
  for (const at of timestampsMs) {
    const index = Math.floor(at / 1_000);
    if (index >= 0 && index < buckets.length) buckets[index] = (buckets[index] ?? 0) + 1;
  }
  return buckets;
}

/** Groups (timestamp ms, value) pairs per whole second and summarizes each second. */
export function summaryPerSecond(
  samples: ReadonlyArray<{ readonly at: number; readonly value: number }>,
  seconds: number,
): Array<Summary | null> {
  const groups = Array.from({ length: Math.max(0, seconds) }, () => [] as number[]);
  for (const { at, value } of samples) groups[Math.floor(at / 1_000)]?.push(value);
  return groups.map((group) => (group.length ? summarize(group) : null));
}

/** Least-squares slope of y over x: how fast memory grows, for instance. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Picks outcomes in proportion to their weights, spread evenly (smooth
 * weighted round-robin) rather than at random, so that any prefix of the run
 * has the asked mix and two runs place the same orders.
 */
export function spreadMix<K extends string>(
  weights: Readonly<Record<K, number>>,
  count: number,
): K[] {
  const keys = (Object.keys(weights) as K[]).filter((key) => weights[key] > 0);
  const total = keys.reduce((sum, key) => sum + weights[key], 0);
  if (total <= 0) throw new Error('the mix needs at least one positive weight');
  const credit = new Map<K, number>(keys.map((key) => [key, 0]));
  const picked: K[] = [];
  for (let i = 0; i < count; i += 1) {
    let best = keys[0] as K;
    for (const key of keys) {
      credit.set(key, (credit.get(key) ?? 0) + weights[key]);
      if ((credit.get(key) ?? 0) > (credit.get(best) ?? 0)) best = key;
    }
    credit.set(best, (credit.get(best) ?? 0) - total);
    picked.push(best);
  }
  return picked;
}

/** Math.min over any number of values (spreading 100k arguments can overflow the stack). */
export function minOf(values: readonly number[]): number {
  return values.reduce((low, value) => (value < low ? value : low), Number.POSITIVE_INFINITY);
}

export function maxOf(values: readonly number[]): number {
  return values.reduce((high, value) => (value > high ? value : high), Number.NEGATIVE_INFINITY);
}
