import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const messageLabels = ['consumer', 'message_type'] as const;

/** Every metric an app exposes on /metrics; one registry per process. */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly handled = this.messageCounter(
    'messaging_messages_handled_total',
    'Messages whose handler committed (duplicates excluded)',
  );
  readonly duplicates = this.messageCounter(
    'messaging_messages_duplicate_total',
    'Redelivered or re-published messages acknowledged without a second effect',
  );
  readonly failed = this.messageCounter(
    'messaging_messages_failed_total',
    'Handler attempts that threw',
  );
  readonly retried = this.messageCounter(
    'messaging_messages_retried_total',
    'Failed attempts scheduled for another delivery',
  );
  readonly deadLettered = new Counter({
    name: 'messaging_messages_dead_lettered_total',
    help: 'Messages moved to the dead letters, by cause (exhausted: out of attempts; rejected: unreadable; newer-version: of a version this build does not know)',
    labelNames: [...messageLabels, 'cause'],
    registers: [this.registry],
  });
  readonly handlerDuration = new Histogram({
    name: 'messaging_handler_duration_seconds',
    help: 'Time from delivery to ack, including the transaction',
    labelNames: messageLabels,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly published = new Counter({
    name: 'outbox_messages_published_total',
    help: 'Messages the outbox relay published to JetStream',
    labelNames: ['message_type'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    // A coarse event-loop monitor: the default wakes every app 100 times a second.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  private messageCounter(name: string, help: string): Counter<(typeof messageLabels)[number]> {
    return new Counter({ name, help, labelNames: messageLabels, registers: [this.registry] });
  }

  /** A gauge whose value is read when Prometheus scrapes (backlogs, pending counts). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (gauge: Gauge<L>) => Promise<void>,
  ): Gauge<L> {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this).catch(() => undefined);
      },
    });
  }
}

/** The process's metrics: the transport, the relay and the HTTP layer all count into it. */
export const metrics = new PlatformMetrics();
