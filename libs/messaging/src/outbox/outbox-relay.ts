import { Inject, Injectable, Logger } from '@nestjs/common';
import { Header, type StoredHeaders } from '@app/contracts';
import {
  contextFromTraceparent,
  inSpan,
  metrics,
  SpanKind,
  traceparentOf,
} from '@app/observability';
import { poolOf, Transactions, UnitOfWork } from '@app/transactions';
import { DataSource } from 'typeorm';
import { toNatsHeaders } from '../headers.js';
import { NatsClient } from '../jetstream/nats-client.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../messaging.options.js';

/** A committed outbox row, as stored. */
export interface OutboxRow {
  readonly id: string;
  readonly subject: string;
  readonly headers: StoredHeaders;
  readonly payload: string;
}

const BATCH_SIZE = 256;
const MAX_BACKOFF_MS = 5_000;
/** Committed rows this process holds to publish; beyond, the table alone keeps them. */
const MAX_QUEUED = 10_000;
/** A row this old is taken to be abandoned by the process that wrote it (crashed, or stopped). */
const ORPHANED_AFTER_MS = 2_000;
const encoder = new TextEncoder();

/**
 * Publishes committed outbox rows to JetStream, then deletes them.
 *
 * The process that committed a row publishes it at once from memory, then
 * deletes it in one statement with the others of its batch: no transaction,
 * no read. Rows left behind (a crash before the delete, a full queue) are
 * found by a poll every `outboxPollMs` once they are `ORPHANED_AFTER_MS` old,
 * taken with SKIP LOCKED so replicas share them, published and deleted in
 * one transaction. Publishing a row twice is harmless: it carries its id as
 * Nats-Msg-Id, which JetStream de-duplicates, and receivers' inboxes absorb.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queue: OutboxRow[] = [];
  private loop: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private interruptWait: (() => void) | undefined;
  private failures = 0;
  private lastPoll = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly unitOfWork: UnitOfWork,
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Rows whose transaction has just committed: published without reading them back. */
  enqueue(rows: readonly OutboxRow[]): void {
    if (this.queue.length + rows.length <= MAX_QUEUED) this.queue.push(...rows);
    this.wake();
  }

  private wake(): void {
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
        await this.publishQueued();
        if (performance.now() - this.lastPoll >= this.options.outboxPollMs) {
          while ((await this.publishOrphans(ORPHANED_AFTER_MS)) === BATCH_SIZE);
          this.lastPoll = performance.now();
        }
        if (this.failures > 0) this.logger.log('publishing again');
        this.failures = 0;
        await this.pause(this.options.outboxPollMs);
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1) this.logger.warn(`cannot publish, will retry: ${describe(error)}`);
        await this.pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures));
      }
    }
    // At shutdown every committed row goes, this process's or not: a row
    // published twice is dropped by JetStream, one left behind waits for a poll.
    try {
      await this.publishQueued();
      while ((await this.publishOrphans(0)) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`left messages in the outbox at shutdown: ${describe(error)}`);
    }
  }

  /**
   * Publishes the queued rows batch by batch, deleting each batch once
   * JetStream has stored it. A failed publish puts the batch back and throws.
   */
  private async publishQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_SIZE);
      try {
        await Promise.all(batch.map((row) => this.publish(row)));
      } catch (error) {
        this.queue.unshift(...batch);
        throw error;
      }
      // One statement on its own: no transaction, no read.
      await poolOf(this.dataSource)
        .query({
          name: 'outbox-delete-published',
          text: 'DELETE FROM outbox WHERE id = ANY($1::uuid[])',
          values: [batch.map((row) => row.id)],
        })
        .catch((error: unknown) => {
          // Published but still stored: a poll publishes them again, to no effect.
          this.logger.warn(`cannot delete published outbox rows yet: ${describe(error)}`);
        });
    }
  }

  /**
   * Publishes one batch of rows at least `olderThanMs` old in one transaction;
   * returns how many it took. They are deleted as they are taken: a failed
   * publish rolls the delete back.
   */
  private publishOrphans(olderThanMs: number): Promise<number> {
    return this.transactions.run(async () => {
      const { rows } = await this.unitOfWork.query<OutboxRow & { position: string }>({
        name: 'outbox-take-orphans',
        text: `DELETE FROM outbox WHERE position IN (
                 SELECT position FROM outbox
                 WHERE created_at < now() - make_interval(secs => $2 / 1000.0)
                 ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED
               )
               RETURNING position, id, subject, headers, payload`,
        values: [BATCH_SIZE, olderThanMs],
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
