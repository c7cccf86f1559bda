import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  OrderShipped,
  PaymentCompleted,
  PaymentDeclined,
  PaymentRefunded,
  ProcessPayment,
  RefundPayment,
  ShipmentFailed,
  ShipOrder,
} from '@app/contracts';
import type { ConsumerState } from './checks.js';
import type { PlacedOrder } from './load.js';
import { OUTCOMES, type Outcome } from './options.js';
import type { SamplerResult } from './process-sampler.js';
import {
  maxOf,
  minOf,
  perSecond,
  ratePerSecond,
  slope,
  summarize,
  summaryPerSecond,
  type Summary,
} from './stats.js';
import type { WireObserver } from './wire-observer.js';

export interface MemoryFigures {
  readonly name: string;
  readonly startMb: number;
  readonly maxMb: number;
  readonly endMb: number;
  /** Least-squares growth over the load, in MiB per minute: flat is near 0. */
  readonly growthMbPerMin: number;
  readonly meanCpuPercent: number;
}

/** What the wire and /proc say about a load run. */
export interface LoadFigures {
  readonly orders: number;
  readonly accepted: number;
  readonly byOutcome: Record<Outcome, number>;
  /** From the first 202 to the last terminal event, in seconds. */
  readonly windowSeconds: number;
  readonly terminalPerSecond: number;
  readonly completedPerSecond: number;
  readonly acceptedPerSecond: number;
  readonly natsMessagesPerSecond: number;
  /** Handler transactions per second: each consumed message and each placed order is one. */
  readonly transactionsPerSecond: number;
  /** Messages delivered to (and acked by) the apps' consumers per second. */
  readonly deliveriesPerSecond: number;
  readonly transactionsPerOrder: number;
  readonly latency: {
    readonly endToEnd: Summary;
    readonly byOutcome: Record<Outcome, Summary>;
    readonly acceptance: Summary;
  };
  /** Time between two messages of one order on the wire: where an order spends its time. */
  readonly stages: Record<string, Summary>;
  /** Seconds, after the last order ended, until every consumer (notifications too) was drained. */
  readonly drainSeconds: number;
  readonly series: {
    readonly accepted: number[];
    readonly terminal: number[];
    readonly natsMessages: number[];
    readonly latencyP50: Array<number | null>;
    readonly latencyP99: Array<number | null>;
  };
  readonly samples: SamplerResult;
  readonly memory: MemoryFigures[];
  readonly consumers: ConsumerState[];
}

/** Consecutive messages of an order: [from, to, who does the work between them]. */
const STAGES: ReadonlyArray<readonly [string, string, string]> = [
  [OrderPlaced.name, ProcessPayment.name, 'orders: one commit, one relay batch'],
  [ProcessPayment.name, PaymentCompleted.name, 'payments'],
  [ProcessPayment.name, PaymentDeclined.name, 'payments'],
  [PaymentCompleted.name, ShipOrder.name, 'orders'],
  [ShipOrder.name, OrderShipped.name, 'shipping'],
  [OrderShipped.name, OrderCompleted.name, 'orders'],
  [PaymentDeclined.name, OrderCancelled.name, 'orders'],
  [ShipOrder.name, ShipmentFailed.name, 'shipping'],
  [ShipmentFailed.name, RefundPayment.name, 'orders'],
  [RefundPayment.name, PaymentRefunded.name, 'payments'],
  [PaymentRefunded.name, OrderCancelled.name, 'orders'],
];

export function figures(
  placed: readonly PlacedOrder[],
  wire: WireObserver,
  consumers: ConsumerState[],
  samples: SamplerResult,
  drainSeconds: number,
): LoadFigures {
  const accepted = placed.filter((order) => order.id);
  const ended = accepted.flatMap((order) => {
    const terminal = wire.traces.get(order.id as string)?.terminal;
    return terminal ? [{ order, terminal }] : [];
  });
  const firstAccept = minOf(accepted.map((order) => order.answeredAt));
  const lastEnd = maxOf(ended.map(({ terminal }) => terminal.at));
  const lastAnswer = maxOf(placed.map((order) => order.answeredAt));
  const seconds = Math.ceil(Math.max(lastEnd, lastAnswer, 0) / 1_000) + 1;
  const completed = ended.filter(({ terminal }) => terminal.type === OrderCompleted.name);
  const latencies = ended.map(({ order, terminal }) => ({
    at: terminal.at,
    value: terminal.at - order.sentAt,
    outcome: order.outcome,
  }));
  const messagesInWindow = wire.seenAt.filter((at) => at >= firstAccept && at <= lastEnd).length;
  // Each message is one transaction in each app consuming it; each order one more to be placed.
  const consumedPerType = new Map<string, number>();
  for (const consumer of consumers)
    consumedPerType.set(consumer.messageType, (consumedPerType.get(consumer.messageType) ?? 0) + 1);
  let transactions = accepted.length;
  for (const [type, count] of wire.countsByType)
    transactions += count * (consumedPerType.get(type) ?? 0);
  const perSecondLatency = summaryPerSecond(latencies, seconds);
  return {
    orders: placed.length,
    accepted: accepted.length,
    byOutcome: Object.fromEntries(
      OUTCOMES.map((outcome) => [outcome, placed.filter((o) => o.outcome === outcome).length]),
    ) as Record<Outcome, number>,
    windowSeconds: (lastEnd - firstAccept) / 1_000,
    terminalPerSecond: ratePerSecond(ended.length, firstAccept, lastEnd),
    completedPerSecond: ratePerSecond(completed.length, firstAccept, lastEnd),
    acceptedPerSecond: ratePerSecond(
      accepted.length,
      minOf(accepted.map((o) => o.sentAt)),
      maxOf(accepted.map((o) => o.answeredAt)),
    ),
    natsMessagesPerSecond: ratePerSecond(messagesInWindow, firstAccept, lastEnd),
    transactionsPerSecond: ratePerSecond(transactions, firstAccept, lastEnd),
    deliveriesPerSecond: ratePerSecond(transactions - accepted.length, firstAccept, lastEnd),
    transactionsPerOrder: accepted.length ? transactions / accepted.length : 0,
    latency: {
      endToEnd: summarize(latencies.map((l) => l.value)),
      byOutcome: Object.fromEntries(
        OUTCOMES.map((outcome) => [
          outcome,
          summarize(latencies.filter((l) => l.outcome === outcome).map((l) => l.value)),
        ]),
      ) as Record<Outcome, Summary>,
      acceptance: summarize(accepted.map((order) => order.answeredAt - order.sentAt)),
    },
    stages: stageTimes(accepted, wire),
    drainSeconds,
    series: {
      accepted: perSecond(
        accepted.map((o) => o.answeredAt),
        seconds,
      ),
      terminal: perSecond(
        ended.map(({ terminal }) => terminal.at),
        seconds,
      ),
      natsMessages: perSecond(wire.seenAt, seconds),
      latencyP50: perSecondLatency.map((s) => s?.p50 ?? null),
      latencyP99: perSecondLatency.map((s) => s?.p99 ?? null),
    },
    samples,
    memory: memoryFigures(samples, firstAccept / 1_000, lastEnd / 1_000),
    consumers,
  };
}

function stageTimes(accepted: readonly PlacedOrder[], wire: WireObserver): Record<string, Summary> {
  const stages: Record<string, Summary> = {};
  const placedToWire: number[] = [];
  const byStage = new Map<string, number[]>(STAGES.map(([from, to]) => [`${from} → ${to}`, []]));
  for (const order of accepted) {
    const seen = wire.traces.get(order.id as string)?.firstSeen;
    if (!seen) continue;
    const placedAt = seen.get(OrderPlaced.name);
    if (placedAt !== undefined) placedToWire.push(placedAt - order.sentAt);
    for (const [from, to] of STAGES) {
      const start = seen.get(from);
      const end = seen.get(to);
      if (start !== undefined && end !== undefined)
        byStage.get(`${from} → ${to}`)?.push(end - start);
    }
  }
  stages[`POST → ${OrderPlaced.name} (orders: HTTP, commit, relay)`] = summarize(placedToWire);
  for (const [from, to, who] of STAGES) {
    const values = byStage.get(`${from} → ${to}`) ?? [];
    if (values.length) stages[`${from} → ${to} (${who})`] = summarize(values);
  }
  return stages;
}

function memoryFigures(samples: SamplerResult, fromS: number, toS: number): MemoryFigures[] {
  return samples.processes.map(({ name, rssMb, cpuPercent }) => {
    const during = samples.at
      .map((at, index) => [at, rssMb[index]] as const)
      .filter((point): point is readonly [number, number] => point[1] != null)
      .filter(([at]) => at >= fromS && at <= toS + 1);
    const known = rssMb.filter((value): value is number => value != null);
    const cpu = cpuPercent.filter((value): value is number => value != null);
    return {
      name,
      startMb: known[0] ?? 0,
      maxMb: Math.max(0, maxOf(known)),
      endMb: known[known.length - 1] ?? 0,
      growthMbPerMin: slope(during.map(([at, mb]) => [at / 60, mb] as const)),
      meanCpuPercent: cpu.reduce((sum, value) => sum + value, 0) / Math.max(1, cpu.length),
    };
  });
}
