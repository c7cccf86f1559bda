import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JetStreamServer } from '@app/messaging';
import { metrics } from '@app/observability';

/** Backlogs read at scrape time: what is waiting in the outbox and in this app's consumers. */
@Injectable()
export class MessagingGauges implements OnModuleInit {
  private static registered = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: JetStreamServer,
  ) {}

  onModuleInit(): void {
    if (MessagingGauges.registered) return;
    MessagingGauges.registered = true;
    metrics.gauge(
      'outbox_backlog_messages',
      'Committed messages not yet published',
      [],
      async (gauge) => {
        gauge.set(await this.outboxCount());
      },
    );
    metrics.gauge(
      'outbox_oldest_message_age_seconds',
      'Age of the oldest unpublished message (0 when the outbox is empty)',
      [],
      async (gauge) => gauge.set(await this.oldestOutboxAge()),
    );
    metrics.gauge(
      'jetstream_consumer_pending_messages',
      'Messages in the stream not yet delivered to this consumer',
      ['consumer'],
      async (gauge) => {
        for (const info of await this.consumerInfos())
          gauge.set({ consumer: info.name }, info.num_pending);
      },
    );
    metrics.gauge(
      'jetstream_consumer_ack_pending_messages',
      'Messages delivered to this consumer and not yet acknowledged',
      ['consumer'],
      async (gauge) => {
        for (const info of await this.consumerInfos())
          gauge.set({ consumer: info.name }, info.num_ack_pending);
      },
    );
  }

  private async outboxCount(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ count: string }>>(
      'SELECT count(*) AS count FROM outbox',
    );
    return Number(row?.count ?? 0);
  }

  private async oldestOutboxAge(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ age: string | null }>>(
      'SELECT EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM outbox',
    );
    return Number(row?.age ?? 0);
  }

  /** The consumers found; a missing one is jetstream_consumer_available 0 instead. */
  private async consumerInfos() {
    const { consumers } = await this.transport.inspectTopology();
    return this.transport.subscriptions.flatMap((subscription) => {
      const info = consumers.get(subscription.consumer);
      return info ? [info] : [];
    });
  }
}
