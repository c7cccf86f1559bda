import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Notification } from '../domain/notification.js';
import { NotificationEntity } from './notification.entity.js';
import { OrderRecipientEntity } from './order-recipient.entity.js';

@Injectable()
export class NotificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** False when this event already has its notification. */
  async insertIfFirst(notification: Notification): Promise<boolean> {
    const result = await this.unitOfWork.manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(notification)
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length === 1;
  }

  /** Remembers the order's customer, and fills it in on notifications that came first. */
  async rememberRecipient(orderId: string, customerId: string): Promise<void> {
    const manager = this.unitOfWork.manager;
    await manager
      .createQueryBuilder()
      .insert()
      .into(OrderRecipientEntity)
      .values({ orderId, customerId })
      .orIgnore()
      .execute();
    await manager
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ customerId })
      .where('order_id = :orderId AND customer_id IS NULL', { orderId })
      .execute();
  }

  async recipientOf(orderId: string): Promise<string | null> {
    const found = await this.unitOfWork.manager.findOneBy(OrderRecipientEntity, { orderId });
    return found?.customerId ?? null;
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
