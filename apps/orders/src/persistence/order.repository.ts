import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Address } from '@app/contracts';
import type { Order, OrderItem, OrderStatus } from '../domain/order.js';
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
 * The writes of every order and saga step are plain SQL on the transaction's
 * own connection, prepared once per connection: they are the hot path.
 */
@Injectable()
export class OrderRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** The orders this transaction has locked, as it last left them. */
  private readonly locked = new WeakMap<object, Map<string, Order>>();

  private lockedInTransaction(): Map<string, Order> {
    const scope = this.unitOfWork.scope;
    let orders = this.locked.get(scope);
    if (!orders) {
      orders = new Map();
      this.locked.set(scope, orders);
    }
    return orders;
  }

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /** The new order and its first history entry, in one statement. */
  async insert(
    order: Order,
    deadlineAt: Date | null,
    idempotency: { key: string; requestHash: string } | null,
    entry: HistoryEntry,
  ): Promise<void> {
    const connection = await this.unitOfWork.connection();
    await connection.query({
      name: 'orders-insert',
      text: `WITH placed AS (
               INSERT INTO orders (id, customer_id, status, currency, total, items, address,
                 deadline_at, idempotency_key, request_hash, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             )
             ${insertHistory(13)}`,
      values: [
        order.id,
        order.customerId,
        order.status,
        order.currency,
        order.total,
        JSON.stringify(order.items),
        JSON.stringify(order.address),
        deadlineAt,
        idempotency?.key ?? null,
        idempotency?.requestHash ?? null,
        order.createdAt,
        order.updatedAt,
        ...historyValues(entry),
      ],
    });
  }

  /**
   * The order, locked until the unit of work ends, so its saga steps run one
   * at a time. The first lock in a transaction locks, in one statement and in
   * id order, the orders of all the messages sharing it; the others then come
   * from the transaction's own copy, kept up to date by `advance`.
   */
  async lock(id: string): Promise<Order | null> {
    const locked = this.lockedInTransaction();
    const known = locked.get(id);
    if (known) return known;
    const ids = [...new Set([id, ...this.unitOfWork.correlationIds])].sort();
    const connection = await this.unitOfWork.connection();
    const { rows } = await connection.query<OrderRow>({
      name: 'orders-lock-all',
      text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      values: [ids],
    });
    for (const row of rows) locked.set(row.id, fromRow(row));
    return locked.get(id) ?? null;
  }

  /** A saga step: the order's new state and the step's history entry, in one statement. */
  async advance(order: Order, deadlineAt: Date | null, entry: HistoryEntry): Promise<void> {
    this.lockedInTransaction().set(order.id, order);
    const connection = await this.unitOfWork.connection();
    await connection.query({
      name: 'orders-advance',
      text: `WITH advanced AS (
               UPDATE orders SET status = $2, payment_id = $3, shipment_id = $4,
                 tracking_number = $5, cancel_reason = $6, updated_at = $7, deadline_at = $8
               WHERE id = $1
             )
             ${insertHistory(9)}`,
      values: [
        order.id,
        order.status,
        order.paymentId,
        order.shipmentId,
        order.trackingNumber,
        order.cancelReason,
        order.updatedAt,
        deadlineAt,
        ...historyValues(entry),
      ],
    });
  }

  async clearDeadline(id: string): Promise<void> {
    await this.unitOfWork.manager.update(OrderEntity, { id }, { deadlineAt: null });
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    const connection = await this.unitOfWork.connection();
    await connection.query({
      name: 'orders-append-history',
      text: insertHistory(2),
      values: [entry.orderId, ...historyValues(entry)],
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

const ORDER_COLUMNS = `id, customer_id, currency, items, address, total, status, payment_id,
  shipment_id, tracking_number, cancel_reason, created_at, updated_at`;

/** The columns of ORDER_COLUMNS, as pg returns them (bigint as a string). */
interface OrderRow {
  id: string;
  customer_id: string;
  currency: string;
  items: OrderItem[];
  address: Address;
  total: string;
  status: OrderStatus;
  payment_id: string | null;
  shipment_id: string | null;
  tracking_number: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    currency: row.currency,
    items: row.items,
    address: row.address,
    total: Number(row.total),
    status: row.status,
    paymentId: row.payment_id,
    shipmentId: row.shipment_id,
    trackingNumber: row.tracking_number,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts the history entry of order $1, its other fields from parameter $`first` on (historyValues). */
function insertHistory(first: number): string {
  const params = Array.from({ length: 7 }, (_, i) => `$${first + i}`).join(', ');
  return `INSERT INTO order_history (order_id, from_status, to_status, message_type, message_id,
            ignored, note, at)
          VALUES ($1, ${params})`;
}

function historyValues(entry: HistoryEntry): unknown[] {
  return [
    entry.from,
    entry.to,
    entry.messageType,
    entry.messageId,
    entry.ignored,
    entry.note,
    entry.at,
  ];
}
