import { BENCH_ONLY_SKIP_VALIDATION } from '@app/contracts';
import type { LoadResult } from './load-mode.js';
import { APPS, type AppName, type BenchOptions } from './options.js';

/**
 * Throughput with every message checked (as shipped) and with none, and what
 * checking costs. The checked load runs before and after the unchecked one
 * and the two are averaged, so that a machine slowing down or warming up
 * over the runs is not taken for the cost.
 */
export interface ValidationCost {
  /** Terminal orders per second of each checked run, and their mean. */
  readonly checkedPerSecond: readonly number[];
  readonly checkedMeanPerSecond: number;
  /** Terminal orders per second with producers and consumers skipping the schemas. */
  readonly uncheckedPerSecond: number;
  /** The share of throughput checking takes: (unchecked - checked) / unchecked, in percent. */
  readonly costPercent: number;
  /** CPU time of the four apps per order (ms), steadier than orders/s on a busy machine. */
  readonly checkedAppCpuMsPerOrder: number;
  readonly uncheckedAppCpuMsPerOrder: number;
  /**
   * The same for NATS, PostgreSQL and the load generator, which the switch
   * does not touch: how much the machine alone moved CPU per order between runs.
   */
  readonly checkedOtherCpuMsPerOrder: number;
  readonly uncheckedOtherCpuMsPerOrder: number;
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

export function validationCost(
  checked: readonly LoadResult[],
  unchecked: LoadResult,
): ValidationCost {
  const checkedPerSecond = checked.map((load) => load.terminalPerSecond);
  const checkedMeanPerSecond = mean(checkedPerSecond);
  const uncheckedPerSecond = unchecked.terminalPerSecond;
  return {
    checkedPerSecond,
    checkedMeanPerSecond,
    uncheckedPerSecond,
    costPercent: ((uncheckedPerSecond - checkedMeanPerSecond) / uncheckedPerSecond) * 100,
    checkedAppCpuMsPerOrder: mean(checked.map((load) => cpuMsPerOrder(load, true))),
    uncheckedAppCpuMsPerOrder: cpuMsPerOrder(unchecked, true),
    checkedOtherCpuMsPerOrder: mean(checked.map((load) => cpuMsPerOrder(load, false))),
    uncheckedOtherCpuMsPerOrder: cpuMsPerOrder(unchecked, false),
  };
}

/** CPU per order of the four apps, or of every other process the bench samples. */
function cpuMsPerOrder(load: LoadResult, ofApps: boolean): number {
  const isApp = (name: string) => APPS.some((app) => name.startsWith(`${app}#`));
  const processes = load.samples.activity.filter((process) => isApp(process.name) === ofApps);
  const seconds = processes.reduce((sum, one) => sum + one.userSeconds + one.systemSeconds, 0);
  return (seconds * 1000) / load.orders;
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;
