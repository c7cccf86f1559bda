import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Order, OrderStatus } from '../domain/order.js';
import { OrderEntity } from './order.entity.js';
import { OrderHistoryEntity } from './order-history.entity.js';

export interface HistoryEntry {
  readonly orderId: string;
  readonly from: OrderStatus | null;
  readonly to: OrderStatus | null;
  readonly messageType: string;
  readonly messageId: string;
  readonly ignored: boolean;
  readonly note: string | null;
  readonly at: Date;
}

export interface StoredOrder {
  readonly order: Order;
  readonly seq: number;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
}

export interface OrderFilter {
  readonly customerId?: string;
  readonly status?: OrderStatus;
  /** Only orders older than this position (the cursor). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

/**
 * Orders and their history. Writes go through the open unit of work, so they
 * commit or roll back with the messages they cause; reads outside one use the pool.
 */
@Injectable()
export class OrderRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  async insert(
    order: Order,
    deadlineAt: Date | null,
    idempotency: { key: string; requestHash: string } | null,
  ): Promise<void> {
    await this.unitOfWork.manager.insert(OrderEntity, {
      ...order,
      items: [...order.items],
      deadlineAt,
      idempotencyKey: idempotency?.key ?? null,
      requestHash: idempotency?.requestHash ?? null,
    });
  }

  /** The order, locked until the unit of work ends, so its saga steps run one at a time. */
  async lock(id: string): Promise<Order | null> {
    const entity = await this.unitOfWork.manager.findOne(OrderEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    return entity ? toOrder(entity) : null;
  }

  async update(order: Order, deadlineAt: Date | null): Promise<void> {
    await this.unitOfWork.manager.update(
      OrderEntity,
      { id: order.id },
      {
        status: order.status,
        paymentId: order.paymentId,
        shipmentId: order.shipmentId,
        trackingNumber: order.trackingNumber,
        cancelReason: order.cancelReason,
        updatedAt: order.updatedAt,
        deadlineAt,
      },
    );
  }

  async clearDeadline(id: string): Promise<void> {
    await this.unitOfWork.manager.update(OrderEntity, { id }, { deadlineAt: null });
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    await this.unitOfWork.manager.insert(OrderHistoryEntity, {
      orderId: entry.orderId,
      fromStatus: entry.from,
      toStatus: entry.to,
      messageType: entry.messageType,
      messageId: entry.messageId,
      ignored: entry.ignored,
      note: entry.note,
      at: entry.at,
    });
  }

  /**
   * Claims one order whose deadline has passed, skipping those another replica
   * holds, so every replica can sweep without two handling the same order.
   */
  async claimOverdue(now: Date): Promise<Order | null> {
    const entity = await this.unitOfWork.manager
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.deadline_at <= :now', { now })
      .orderBy('o.deadline_at', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    return entity ? toOrder(entity) : null;
  }

  async findById(id: string): Promise<Order | null> {
    const entity = await this.manager.findOneBy(OrderEntity, { id });
    return entity ? toOrder(entity) : null;
  }

  async findByIdempotencyKey(key: string): Promise<StoredOrder | null> {
    const entity = await this.manager.findOneBy(OrderEntity, { idempotencyKey: key });
    return entity
      ? {
          order: toOrder(entity),
          seq: entity.seq,
          idempotencyKey: entity.idempotencyKey,
          requestHash: entity.requestHash,
        }
      : null;
  }

  async history(orderId: string): Promise<HistoryEntry[]> {
    const rows = await this.manager.find(OrderHistoryEntity, {
      where: { orderId },
      order: { id: 'ASC' },
    });
    return rows.map((row) => ({
      orderId: row.orderId,
      from: row.fromStatus,
      to: row.toStatus,
      messageType: row.messageType,
      messageId: row.messageId,
      ignored: row.ignored,
      note: row.note,
      at: row.at,
    }));
  }

  /** Newest first, by insertion position. */
  async list(filter: OrderFilter): Promise<Array<{ order: Order; seq: number }>> {
    const query = this.manager
      .createQueryBuilder(OrderEntity, 'o')
      .orderBy('o.seq', 'DESC')
      .limit(filter.limit);
    if (filter.customerId)
      query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.beforeSeq !== undefined) query.andWhere('o.seq < :seq', { seq: filter.beforeSeq });
    const rows = await query.getMany();
    return rows.map((entity) => ({ order: toOrder(entity), seq: entity.seq }));
  }
}

function toOrder(entity: OrderEntity): Order {
  return {
    id: entity.id,
    customerId: entity.customerId,
    currency: entity.currency,
    items: entity.items,
    address: entity.address,
    total: entity.total,
    status: entity.status,
    paymentId: entity.paymentId,
    shipmentId: entity.shipmentId,
    trackingNumber: entity.trackingNumber,
    cancelReason: entity.cancelReason,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
