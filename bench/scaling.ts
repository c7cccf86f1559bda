import { randomUUID } from 'node:crypto';
import { PaymentCompleted, PaymentDeclined, ProcessPayment } from '@app/contracts';
import { Wire } from '../test/support/wire.js';
import { check, type Check } from './checks.js';
import { ProcessSampler, type SamplerResult } from './process-sampler.js';
import { ratePerSecond } from './stats.js';
import { BenchSystem } from './system.js';
import { WireObserver } from './wire-observer.js';

export interface ScalingStep {
  readonly replicas: number;
  readonly commands: number;
  /** From the first publish to the last result on the wire. */
  readonly seconds: number;
  readonly commandsPerSecond: number;
  /** Between the 10th and the 90th percentile of results: without ramp-up and tail. */
  readonly steadyPerSecond: number;
  /** Mean CPU of the payments replicas together and of the machine, in percent of one core. */
  readonly paymentsCpuPercent: number;
  readonly machineCpuPercent: number;
  readonly checks: Check[];
  readonly samples: SamplerResult;
}

export interface ScalingResult {
  readonly latencyMs: number;
  readonly concurrency: number;
  /** What one replica can do at most: concurrency handlers, each waiting latencyMs. */
  readonly boundPerReplica: number;
  readonly steps: ScalingStep[];
  /** Commands per second of the most replicas over those of the fewest. */
  readonly ratio: number;
}

const PUBLISH_WINDOW = 256;

/**
 * Payments alone, with a simulated provider latency, fed ProcessPayment
 * commands straight on the wire by a plain client: the commands it handles per
 * second with 1, 2 and 4 replicas sharing one durable consumer, and a check
 * that each command was handled exactly once.
 */
export async function measureScaling(options: {
  replicas: readonly number[];
  commands: number;
  concurrency: number;
  latencyMs: number;
  timeoutS: number;
  progress: (message: string) => void;
}): Promise<ScalingResult> {
  const steps: ScalingStep[] = [];
  for (const replicas of options.replicas) {
    options.progress(`scaling: ${replicas} payments replica(s)`);
    steps.push(await step(replicas, options));
  }
  const first = steps[0];
  const last = steps[steps.length - 1];
  return {
    latencyMs: options.latencyMs,
    concurrency: options.concurrency,
    boundPerReplica: (options.concurrency * 1_000) / options.latencyMs,
    steps,
    ratio: first && last ? last.commandsPerSecond / first.commandsPerSecond : 0,
  };
}

async function step(
  replicas: number,
  options: { commands: number; concurrency: number; latencyMs: number; timeoutS: number },
): Promise<ScalingStep> {
  const system = await BenchSystem.start({
    replicas: { orders: 0, payments: replicas, shipping: 0, notifications: 0 },
    env: {
      payments: {
        PAYMENTS_PROVIDER_LATENCY_MS: String(options.latencyMs),
        MESSAGING_CONCURRENCY: String(options.concurrency),
      },
    },
  });
  const startedAt = performance.now();
  const observer = await WireObserver.connect(system.natsUrl, startedAt, [
    PaymentCompleted,
    PaymentDeclined,
  ]);
  const wire = await Wire.connect(system.natsUrl);
  const sampler = new ProcessSampler(
    system.apps.map(({ name, service }) => ({ name, pid: service.pid ?? 0 })),
    startedAt,
  );
  try {
    sampler.start();
    const orderIds = Array.from({ length: options.commands }, () => randomUUID());
    const publishedAt = performance.now() - startedAt;
    const window = new Set<Promise<unknown>>();
    for (const orderId of orderIds) {
      const publish = wire
        .publish(
          ProcessPayment,
          { orderId, customerId: randomUUID(), amount: 2_500, currency: 'EUR' },
          { correlationId: orderId },
        )
        .finally(() => window.delete(publish));
      window.add(publish);
      if (window.size >= PUBLISH_WINDOW) await Promise.race(window);
    }
    await Promise.all(window);
    await observer.until(
      () => observer.terminated >= orderIds.length,
      options.timeoutS * 1_000 + options.commands * options.latencyMs,
    );
    const samples = sampler.stop();

    const ends = orderIds
      .flatMap((id) => {
        const at = observer.traces.get(id)?.terminal?.at;
        return at === undefined ? [] : [at];
      })
      .sort((a, b) => a - b);
    const lastEnd = ends[ends.length - 1] ?? publishedAt;
    const p10 = ends[Math.floor(ends.length * 0.1)] ?? publishedAt;
    const p90 = ends[Math.floor(ends.length * 0.9)] ?? lastEnd;
    const results = (id: string) => {
      const messages = observer.traces.get(id)?.messages;
      return (
        (messages?.get(PaymentCompleted.name)?.size ?? 0) +
        (messages?.get(PaymentDeclined.name)?.size ?? 0)
      );
    };
    const unhandled = orderIds.filter((id) => results(id) === 0);
    const twice = orderIds.filter((id) => results(id) > 1);
    const rows = await system.databases.payments.query<{ n: string; orders: string }>(
      'SELECT count(*) AS n, count(DISTINCT order_id) AS orders FROM payments',
    );
    const stored = Number(rows[0]?.n ?? 0);
    const mean = (values: Array<number | null>) =>
      values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / Math.max(1, values.length);
    return {
      replicas,
      commands: options.commands,
      seconds: (lastEnd - publishedAt) / 1_000,
      commandsPerSecond: ratePerSecond(ends.length, publishedAt, lastEnd),
      steadyPerSecond: ratePerSecond(Math.floor(ends.length * 0.8), p10, p90),
      paymentsCpuPercent: samples.processes.reduce((sum, p) => sum + mean(p.cpuPercent), 0),
      machineCpuPercent: mean(samples.machineCpuPercent),
      samples,
      checks: [
        check('every command handled', unhandled.length === 0, unhandled),
        check('no command handled twice', twice.length === 0, twice),
        check(
          'one payment row per command',
          stored === options.commands && Number(rows[0]?.orders) === options.commands,
          stored === options.commands ? [] : [`${stored} rows`],
        ),
        check(
          'no re-publication',
          observer.republications.length === 0,
          observer.republications,
          (r) => `${r.messageType} ${r.messageId}`,
        ),
        check('no dead letter', observer.deadLetters.length === 0, observer.deadLetters),
      ],
    };
  } finally {
    sampler.stop();
    await wire.close();
    await observer.close();
    await system.stop();
  }
}
