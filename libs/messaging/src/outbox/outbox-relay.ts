import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  contextFromTraceparent,
  inSpan,
  metrics,
  SpanKind,
  traceparentOf,
} from '@app/observability';
import { Header, toNatsHeaders, type StoredHeaders } from '../headers.js';
import { NatsClient } from '../jetstream/nats-client.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options.js';
import { inPgTransaction, poolOf } from '../pg-transaction.js';

interface OutboxRow {
  /** bigint, as pg returns it. */
  position: string;
  id: string;
  subject: string;
  headers: StoredHeaders;
  payload: string;
}

const BATCH_SIZE = 256;
const MAX_BACKOFF_MS = 5_000;
const encoder = new TextEncoder();

/**
 * Publishes committed outbox rows to JetStream, then deletes them. Woken at
 * once by commits in this process; polls as a safety net for rows left by a
 * crashed replica. Rows are locked with SKIP LOCKED, so replicas share the work.
 * A crash between publish and delete publishes again with the same
 * Nats-Msg-Id, which JetStream de-duplicates, and receivers' inboxes absorb.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private loop: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private interruptWait: (() => void) | undefined;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  wake(): void {
    this.woken = true;
    this.interruptWait?.();
  }

  /** Publishes what is already committed, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      try {
        while ((await this.publishBatch()) === BATCH_SIZE);
        if (this.failures > 0) this.logger.log('publishing again');
        this.failures = 0;
        await this.pause(this.options.outboxPollMs);
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1) this.logger.warn(`cannot publish, will retry: ${describe(error)}`);
        await this.pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures));
      }
    }
    await this.publishBatch().catch((error: unknown) => {
      this.logger.warn(`left messages in the outbox at shutdown: ${describe(error)}`);
    });
  }

  /**
   * Publishes one batch in one transaction; returns how many rows it took. The
   * rows are deleted as they are taken: a failed publish rolls the delete back.
   */
  private publishBatch(): Promise<number> {
    return inPgTransaction(poolOf(this.dataSource), async (client) => {
      const { rows } = await client.query<OutboxRow>({
        name: 'outbox-take',
        text: `DELETE FROM outbox WHERE position IN (
                 SELECT position FROM outbox ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED
               )
               RETURNING position, id, subject, headers, payload`,
        values: [BATCH_SIZE],
      });
      // RETURNING keeps no order: publish in the order the messages were recorded.
      rows.sort((a, b) => Number(a.position) - Number(b.position));
      await Promise.all(rows.map((row) => this.publish(row)));
      return rows.length;
    });
  }

  /** One publish span per message; its context becomes the message's traceparent. */
  private publish(row: OutboxRow): Promise<unknown> {
    const recordedIn = row.headers[Header.TraceParent];
    return inSpan(
      `publish ${row.subject}`,
      {
        kind: SpanKind.PRODUCER,
        parent: contextFromTraceparent(recordedIn),
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': row.subject,
          'messaging.message.id': row.id,
        },
      },
      async () => {
        const headers = { ...row.headers };
        const traceparent = traceparentOf();
        if (traceparent) headers[Header.TraceParent] = traceparent;
        const ack = await this.nats.jetstream.publish(row.subject, encoder.encode(row.payload), {
          msgID: row.id,
          headers: toNatsHeaders(headers),
        });
        metrics.published.inc({ message_type: headers[Header.MessageType] ?? 'unknown' });
        return ack;
      },
    );
  }

  private pause(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.interruptWait = done;
    }).finally(() => (this.interruptWait = undefined));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
