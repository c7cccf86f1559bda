import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Notification } from '../domain/notification.js';
import { NotificationEntity } from './notification.entity.js';

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
  async insertIfFirst(notification: Notification): Promise<{ customerId: string | null } | false> {
    const connection = await this.unitOfWork.connection();
    const { rows } = await connection.query<{ customer_id: string | null }>({
      name: 'notifications-insert',
      text: `INSERT INTO notifications (id, message_id, event_type, order_id, customer_id, channel,
               subject, body, created_at)
             VALUES ($1, $2, $3, $4,
               COALESCE($5::uuid, (SELECT customer_id FROM order_recipients WHERE order_id = $4)),
               $6, $7, $8, $9)
             ON CONFLICT DO NOTHING
             RETURNING customer_id`,
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

  /** Remembers the order's customer, and fills it in on notifications that came first. */
  async rememberRecipient(orderId: string, customerId: string): Promise<void> {
    const connection = await this.unitOfWork.connection();
    await connection.query({
      name: 'notifications-remember-recipient',
      text: `WITH remembered AS (
               INSERT INTO order_recipients (order_id, customer_id) VALUES ($1, $2)
               ON CONFLICT DO NOTHING
             )
             UPDATE notifications SET customer_id = $2
             WHERE order_id = $1 AND customer_id IS NULL`,
      values: [orderId, customerId],
    });
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
