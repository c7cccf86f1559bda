import { BENCH_ONLY_SKIP_VALIDATION } from '@app/contracts';
import type { LoadResult } from './load-mode.js';
import type { AppName, BenchOptions } from './options.js';

/** Throughput with every message checked (as shipped) and with none, and what checking costs. */
export interface ValidationCost {
  /** Terminal orders per second, as shipped. */
  readonly checkedPerSecond: number;
  /** Terminal orders per second with producers and consumers skipping the schemas. */
  readonly uncheckedPerSecond: number;
  /** The share of throughput checking takes: (unchecked - checked) / unchecked, in percent. */
  readonly costPercent: number;
}

/** The same run with every app's message validation off: only ever for this measurement. */
export function withoutValidation(options: BenchOptions): BenchOptions {
  const skipping = (app: AppName) => ({ ...options.env[app], [BENCH_ONLY_SKIP_VALIDATION]: '1' });
  return {
    ...options,
    env: {
      orders: skipping('orders'),
      payments: skipping('payments'),
      shipping: skipping('shipping'),
      notifications: skipping('notifications'),
    },
  };
}

export function validationCost(checked: LoadResult, unchecked: LoadResult): ValidationCost {
  const checkedPerSecond = checked.terminalPerSecond;
  const uncheckedPerSecond = unchecked.terminalPerSecond;
  return {
    checkedPerSecond,
    uncheckedPerSecond,
    costPercent: ((uncheckedPerSecond - checkedPerSecond) / uncheckedPerSecond) * 100,
  };
}
