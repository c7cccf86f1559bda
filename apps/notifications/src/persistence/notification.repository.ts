import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Notification } from '../domain/notification.js';
import { NotificationEntity } from './notification.entity.js';

/** A notification recorded, and the customer it went to (null while not known). */
export interface Sent {
  readonly customerId: string | null;
}

/** Parameters in the order of NotificationRepository.insert's values. */
const INSERT_NOTIFICATION = `
  INSERT INTO notifications (id, message_id, event_type, order_id, customer_id, channel, subject,
    body, created_at)
  VALUES ($1, $2, $3, $4,
    COALESCE($5::uuid, (SELECT customer_id FROM order_recipients WHERE order_id = $4)),
    $6, $7, $8, $9)
  ON CONFLICT DO NOTHING
  RETURNING customer_id`;

@Injectable()
export class NotificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Records the event's notification unless it already has one; a notification
   * with no customer gets the order's remembered one, if any. Returns the
   * customer it went to (null when not known yet), or false when it existed.
   */
  async insertIfFirst(notification: Notification): Promise<Sent | false> {
    return this.insert('notifications-insert', INSERT_NOTIFICATION, notification);
  }

  /**
   * As insertIfFirst, for the event that names the order's customer: also
   * remembers them as the order's recipient, and fills them in on the
   * notifications that came first, in the same statement.
   */
  async insertIfFirstRemembering(
    notification: Notification & { customerId: string },
  ): Promise<Sent | false> {
    return this.insert(
      'notifications-insert-remembering',
      `WITH remembered AS (
         INSERT INTO order_recipients (order_id, customer_id) VALUES ($4, $5)
         ON CONFLICT DO NOTHING
       ),
       filled_in AS (
         UPDATE notifications SET customer_id = $5 WHERE order_id = $4 AND customer_id IS NULL
       )
       ${INSERT_NOTIFICATION}`,
      notification,
    );
  }

  private async insert(
    name: string,
    text: string,
    notification: Notification,
  ): Promise<Sent | false> {
    const connection = await this.unitOfWork.connection();
    const { rows } = await connection.query<{ customer_id: string | null }>({
      name,
      text,
      values: [
        notification.id,
        notification.messageId,
        notification.eventType,
        notification.orderId,
        notification.customerId,
        notification.channel,
        notification.subject,
        notification.body,
        notification.createdAt,
      ],
    });
    return rows[0] ? { customerId: rows[0].customer_id } : false;
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
