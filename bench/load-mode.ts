import { resolve } from 'node:path';
import { OrderCancelled, OrderCompleted } from '@app/contracts';
import {
  check,
  consumerStates,
  databaseChecks,
  drained,
  wireChecks,
  type Check,
} from './checks.js';
import { summarizeProfiles, type ProfileSummary } from './cpu-profile.js';
import { activitySince, databaseActivity, type DatabaseActivity } from './database-activity.js';
import { placeOrders, type PlacedOrder } from './load.js';
import { figures, type LoadFigures } from './load-figures.js';
import type { BenchOptions } from './options.js';
import { ProcessSampler } from './process-sampler.js';
import { spreadMix } from './stats.js';
import { BenchSystem } from './system.js';
import { WireObserver } from './wire-observer.js';

export interface LoadResult extends LoadFigures {
  /** Lines and bytes each app wrote to stdout (its logs) during the load. */
  readonly logs: Array<{ readonly name: string; readonly lines: number; readonly bytes: number }>;
  /** What each app's database did during the load, from pg_stat_database. */
  readonly databaseActivity: DatabaseActivity[];
  /** Heap each app retained after a full collection, before and after the load (MiB). */
  readonly retainedHeap: RetainedHeap[];
  /** Where each profiled app spent its CPU (--cpu-prof). */
  readonly profiles: ProfileSummary[];
  readonly checks: Check[];
}

export interface RetainedHeap {
  readonly name: string;
  readonly beforeMb: number;
  readonly afterMb: number;
}

/**
 * Places the orders, waits for each to end on the wire, lets every consumer
 * drain, then checks the wire and (when it started the system) the databases.
 */
export async function runLoad(
  options: BenchOptions,
  stamp: string,
  progress: (message: string) => void,
): Promise<LoadResult> {
  const profilesDir = resolve(options.out, `${stamp}-profiles`);
  const system = options.target
    ? undefined
    : await BenchSystem.start({
        replicas: options.replicas,
        env: {
          ...options.env,
          payments: {
            PAYMENTS_DECLINE_ABOVE: String(options.declineAbove),
            ...options.env.payments,
          },
        },
        cpuProf: options.cpuProf,
        cpuProfDir: profilesDir,
        natsCluster: options.natsCluster,
      });
  const checks: Check[] = [];
  let result: Omit<LoadResult, 'profiles'>;
  try {
    result = await measure(options, system, checks, progress);
  } finally {
    if (system) {
      const codes = await system.stop();
      const failed = Object.entries(codes).filter(([, code]) => code !== 0);
      checks.push(
        check('every app exits 0 on SIGTERM', failed.length === 0, failed, ([name, code]) => {
          return `${name}: ${code}`;
        }),
      );
    }
  }
  const names = new Map((system?.apps ?? []).map(({ name, service }) => [service.pid ?? 0, name]));
  return { ...result, checks, profiles: summarizeProfiles(profilesDir, names) };
}

async function measure(
  options: BenchOptions,
  system: BenchSystem | undefined,
  checks: Check[],
  progress: (message: string) => void,
): Promise<Omit<LoadResult, 'profiles'>> {
  const natsUrl = system?.natsUrl ?? (options.natsUrl as string);
  const urls = system?.baseUrls('orders') ?? [options.target as string];
  const warmup = options.warmup
    ? await warmUp(options, urls, natsUrl, checks, progress)
    : undefined;
  // Before the clock starts: the collections pause the apps, the snapshot waits for the statistics collector.
  const heapBefore = system ? await system.retainedHeapMb() : new Map<string, number>();
  const activityBefore = system ? await databaseActivity(system) : [];
  const startedAt = performance.now();
  const observer = await WireObserver.connect(natsUrl, startedAt, [OrderCompleted, OrderCancelled]);
  const sampler = new ProcessSampler(
    [
      ...(system?.apps ?? []).map(({ name, service }) => ({ name, pid: service.pid ?? 0 })),
      ...(system?.natsProcesses() ?? []),
      { name: 'bench', pid: process.pid },
    ],
    startedAt,
  );
  const logsBefore = new Map((system?.apps ?? []).map(({ name, service }) => [name, service.logs]));
  try {
    sampler.start();
    progress(`placing ${options.orders} orders on ${urls.join(', ')}`);
    const placed = await placeOrders({
      urls,
      outcomes: spreadMix(options.mix, options.orders),
      concurrency: options.concurrency,
      rate: options.rate,
      declineAbove: options.declineAbove,
      startedAt,
    });
    let pending = placed.filter((order) => order.id);
    progress(`${pending.length} accepted; waiting for every order to end`);
    await observer.until(() => {
      pending = pending.filter((order) => !observer.traces.get(order.id as string)?.terminal);
      return pending.length === 0;
    }, options.timeoutS * 1_000);
    const endedAt = performance.now();
    progress(
      pending.length
        ? `${pending.length} orders did not end in time; waiting for the consumers to drain`
        : 'every order ended; waiting for the consumers (notifications too) to drain',
    );
    const isDrained = await drained(observer.connection, options.timeoutS * 1_000);
    const drainSeconds = (performance.now() - endedAt) / 1_000;
    checks.push(check('every consumer drained', isDrained, isDrained ? [] : ['timed out']));
    const heapAfter = system ? await system.retainedHeapMb() : new Map<string, number>();
    const consumers = await consumerStates(observer.connection);
    checks.push(...wireChecks(placed, observer));
    if (system) {
      const phases = [{ placed, wire: observer }, ...(warmup ? [warmup] : [])];
      checks.push(...(await databaseChecks(phases, consumers, system.databases)));
    }
    const samples = sampler.stop();
    const activity = system ? activitySince(activityBefore, await databaseActivity(system)) : [];
    const logs = (system?.apps ?? []).map(({ name, service }) => {
      const written = service.logs.slice(logsBefore.get(name)?.length ?? 0);
      let lines = 0;
      for (let at = written.indexOf('\n'); at !== -1; at = written.indexOf('\n', at + 1))
        lines += 1;
      return { name, lines, bytes: Buffer.byteLength(written) };
    });
    return {
      ...figures(placed, observer, consumers, samples, drainSeconds),
      logs,
      databaseActivity: activity,
      retainedHeap: [...heapBefore].flatMap(([name, beforeMb]) => {
        const afterMb = heapAfter.get(name);
        return afterMb === undefined ? [] : [{ name, beforeMb, afterMb }];
      }),
      checks,
    };
  } finally {
    sampler.stop();
    await observer.close();
  }
}

/**
 * Places the warm-up orders as the measured ones will be, and waits until
 * they have ended and every consumer has drained: a process that has only
 * just started (code not yet optimized, connections not yet open) is slower
 * for its first seconds, which a run that starts cold measures too.
 */
async function warmUp(
  options: BenchOptions,
  urls: string[],
  natsUrl: string,
  checks: Check[],
  progress: (message: string) => void,
): Promise<{ placed: PlacedOrder[]; wire: WireObserver }> {
  const startedAt = performance.now();
  const wire = await WireObserver.connect(natsUrl, startedAt, [OrderCompleted, OrderCancelled]);
  try {
    progress(`warming up: ${options.warmup} orders, not measured`);
    const placed = await placeOrders({
      urls,
      outcomes: spreadMix(options.mix, options.warmup),
      concurrency: options.concurrency,
      rate: options.rate,
      declineAbove: options.declineAbove,
      startedAt,
    });
    const accepted = placed.filter((order) => order.id);
    const ended = await wire.until(
      () => accepted.every((order) => wire.traces.get(order.id as string)?.terminal),
      options.timeoutS * 1_000,
    );
    const isDrained = ended && (await drained(wire.connection, options.timeoutS * 1_000));
    checks.push(
      check(
        'every warm-up order ended, then consumers drained',
        accepted.length === placed.length && isDrained,
        isDrained ? [] : ['timed out'],
        String,
        `${accepted.length}/${placed.length} accepted`,
      ),
    );
    return { placed, wire };
  } finally {
    await wire.close();
  }
}
