import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork, type Statement } from '@app/messaging';
import type { Notification } from '../domain/notification.js';
import { NotificationEntity } from './notification.entity.js';

/** A notification recorded, and the customer it went to (null while not known). */
export interface Sent {
  readonly customerId: string | null;
}

interface Pending {
  readonly notification: Notification;
  /** Its event names the order's customer: remember them for the order's other notifications. */
  readonly remembersCustomer: boolean;
  readonly committed: (sent: Sent | false) => void;
}

/**
 * A transaction's notifications, in one statement. The customer of one that
 * names none comes from an OrderPlaced in the same batch, or else from the
 * order's remembered recipient. Each OrderPlaced remembers its customer and
 * fills them in on the order's notifications that came first. A notification
 * whose event already has one is skipped: it is not returned.
 */
const RECORD_NOTIFICATIONS = `
  WITH batch AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
      $7::text[], $8::text[], $9::timestamptz[], $10::boolean[])
      WITH ORDINALITY AS b(id, message_id, event_type, order_id, customer_id, channel, subject,
        body, created_at, remembers, position)
  ),
  recipients AS (
    SELECT DISTINCT ON (order_id) order_id, customer_id FROM batch
    WHERE remembers ORDER BY order_id, position
  ),
  remembered AS (
    INSERT INTO order_recipients (order_id, customer_id) SELECT order_id, customer_id FROM recipients
    ON CONFLICT DO NOTHING
  ),
  filled_in AS (
    UPDATE notifications n SET customer_id = r.customer_id FROM recipients r
    WHERE n.order_id = r.order_id AND n.customer_id IS NULL
  )
  INSERT INTO notifications (id, message_id, event_type, order_id, customer_id, channel, subject,
    body, created_at)
  SELECT b.id, b.message_id, b.event_type, b.order_id,
    COALESCE(b.customer_id,
      (SELECT customer_id FROM recipients r WHERE r.order_id = b.order_id),
      (SELECT customer_id FROM order_recipients r WHERE r.order_id = b.order_id)),
    b.channel, b.subject, b.body, b.created_at
  FROM batch b ORDER BY b.position
  ON CONFLICT DO NOTHING
  RETURNING message_id, customer_id`;

@Injectable()
export class NotificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Adds the event's notification to the current transaction; all of the
   * transaction's are written together just before it commits. Once it has
   * committed, the promise tells the customer it went to (null when not known
   * yet), or false when the event had its notification already. It never
   * settles if the transaction rolls back, so it must not be awaited inside it.
   */
  record(
    notification: Notification,
    options: { readonly remembersCustomer: boolean },
  ): Promise<Sent | false> {
    return new Promise((committed) => {
      this.pending().push({
        notification,
        remembersCustomer: options.remembersCustomer && notification.customerId !== null,
        committed,
      });
    });
  }

  private pending(): Pending[] {
    return this.unitOfWork.gathered(this, () => {
      const batch: Pending[] = [];
      let sent = new Map<string, Sent>();
      this.unitOfWork.beforeCommit(() => this.write(batch, (written) => (sent = written)));
      this.unitOfWork.afterCommit(() => {
        for (const { notification, committed } of batch) {
          committed(sent.get(notification.messageId) ?? false);
        }
      });
      return batch;
    });
  }

  /** Writes the batch; `written` learns the new notifications, by event id, with the customer each went to. */
  private write(batch: readonly Pending[], written: (sent: Map<string, Sent>) => void): Statement {
    const notifications = batch.map((pending) => pending.notification);
    return {
      query: {
        // Not prepared: a plan made while the table was small would scan it whole.
        text: RECORD_NOTIFICATIONS,
        values: [
          notifications.map((n) => n.id),
          notifications.map((n) => n.messageId),
          notifications.map((n) => n.eventType),
          notifications.map((n) => n.orderId),
          notifications.map((n) => n.customerId),
          notifications.map((n) => n.channel),
          notifications.map((n) => n.subject),
          notifications.map((n) => n.body),
          notifications.map((n) => n.createdAt),
          batch.map((pending) => pending.remembersCustomer),
        ],
      },
      answered: ({ rows }) =>
        written(
          new Map(
            (rows as Array<{ message_id: string; customer_id: string | null }>).map((row) => [
              row.message_id,
              { customerId: row.customer_id },
            ]),
          ),
        ),
    };
  }

  /** Oldest first; every given filter must match. */
  async find(
    filter: { orderId?: string; customerId?: string },
    limit: number,
  ): Promise<Notification[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(NotificationEntity, 'n')
      .orderBy('n.seq', 'ASC')
      .limit(limit);
    if (filter.orderId) query.andWhere('n.order_id = :orderId', { orderId: filter.orderId });
    if (filter.customerId)
      query.andWhere('n.customer_id = :customerId', { customerId: filter.customerId });
    const rows = await query.getMany();
    return rows.map(({ seq: _seq, ...notification }) => notification);
  }
}
