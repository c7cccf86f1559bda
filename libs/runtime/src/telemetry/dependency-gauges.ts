import { Injectable, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@app/observability';
import { DependencyChecks } from '../health/dependency-checks.js';

const up = (ok: boolean) => (ok ? 1 : 0);

/**
 * 1 while a dependency answers, 0 while it does not, read at scrape time: the
 * alerts on NATS, a stream or a consumer, which readiness leaves out.
 */
@Injectable()
export class DependencyGauges implements OnModuleInit {
  private static registered = false;

  constructor(private readonly dependencies: DependencyChecks) {}

  onModuleInit(): void {
    if (DependencyGauges.registered) return;
    DependencyGauges.registered = true;
    metrics.gauge('database_available', 'Whether the app database answers', [], async (gauge) => {
      gauge.set(up((await this.dependencies.database()).ok));
    });
    metrics.gauge('nats_connected', 'Whether the NATS connection answers', [], async (gauge) => {
      gauge.set(up((await this.dependencies.natsServer()).ok));
    });
    metrics.gauge(
      'jetstream_stream_available',
      'Whether the stream exists and answers (0 until `npm run provision:nats` makes it again)',
      ['stream'],
      async (gauge) => {
        const nats = await this.dependencies.natsServer();
        for (const check of await this.dependencies.streams(nats))
          gauge.set({ stream: check.stream }, up(check.ok));
      },
    );
    metrics.gauge(
      'jetstream_consumer_available',
      'Whether this app consumer exists, answers and filters as the catalog says (0 until `npm run provision:nats` makes it so)',
      ['consumer'],
      async (gauge) => {
        const nats = await this.dependencies.natsServer();
        for (const check of await this.dependencies.consumers(nats))
          gauge.set({ consumer: check.consumer }, up(check.ok));
      },
    );
  }
}
