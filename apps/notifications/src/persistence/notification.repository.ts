import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { batchedWrite, column, UnitOfWork } from '@app/transactions';
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
  /** Set once written: the customer it went to, or false when its event had one already. */
  sent: Sent | false;
}

/**
 * A transaction's notifications, in one statement sent with its COMMIT. The
 * customer of one that names none comes from an OrderPlaced in the same
 * batch, or else from the order's remembered recipient. Each OrderPlaced
 * remembers its customer and fills them in on the order's notifications that
 * came first. A notification whose event already has one is skipped: it is
 * not returned.
 */
const RECORD_NOTIFICATIONS = batchedWrite<Pending>(
  {
    id: column('uuid', ({ notification }) => notification.id),
    message_id: column('text', ({ notification }) => notification.messageId),
    event_type: column('text', ({ notification }) => notification.eventType),
    order_id: column('uuid', ({ notification }) => notification.orderId),
    customer_id: column('uuid', ({ notification }) => notification.customerId),
    channel: column('text', ({ notification }) => notification.channel),
    subject: column('text', ({ notification }) => notification.subject),
    body: column('text', ({ notification }) => notification.body),
    created_at: column('timestamptz', ({ notification }) => notification.createdAt),
    remembers: column('boolean', (pending) => pending.remembersCustomer),
  },
  (rows) => `
    WITH batch AS (SELECT * FROM ${rows}),
    recipients AS (
      SELECT DISTINCT ON (order_id) order_id, customer_id FROM batch
      WHERE remembers ORDER BY order_id, position
    ),
    remembered AS (
      INSERT INTO order_recipients (order_id, customer_id)
      SELECT order_id, customer_id FROM recipients
      ON CONFLICT DO NOTHING
    ),
    filled_in AS (
      UPDATE notifications n SET customer_id = r.customer_id FROM recipients r
      WHERE n.order_id = r.order_id AND n.customer_id IS NULL
    )
    INSERT INTO notifications (id, message_id, event_type, order_id, customer_id, channel,
      subject, body, created_at)
    SELECT b.id, b.message_id, b.event_type, b.order_id,
      COALESCE(b.customer_id,
        (SELECT customer_id FROM recipients r WHERE r.order_id = b.order_id),
        (SELECT customer_id FROM order_recipients r WHERE r.order_id = b.order_id)),
      b.channel, b.subject, b.body, b.created_at
    FROM batch b ORDER BY b.position
    ON CONFLICT DO NOTHING
    RETURNING message_id, customer_id`,
  {
    answered: ({ rows }, batch) => {
      const sent = new Map(
        (rows as Array<{ message_id: string; customer_id: string | null }>).map((row) => [
          row.message_id,
          { customerId: row.customer_id },
        ]),
      );
      for (const pending of batch) pending.sent = sent.get(pending.notification.messageId) ?? false;
    },
  },
);

@Injectable()
export class NotificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Adds the event's notification to the current transaction; all of the
   * transaction's are written together with its COMMIT. Once it has
   * committed, the promise tells the customer it went to (null when not known
   * yet), or false when the event had its notification already. It never
   * settles if the transaction rolls back, so it must not be awaited inside it.
   */
  record(
    notification: Notification,
    options: { readonly remembersCustomer: boolean },
  ): Promise<Sent | false> {
    const pending: Pending = {
      notification,
      remembersCustomer: options.remembersCustomer && notification.customerId !== null,
      sent: false,
    };
    this.unitOfWork.write(RECORD_NOTIFICATIONS, pending);
    return new Promise((committed) => this.unitOfWork.afterCommit(() => committed(pending.sent)));
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
