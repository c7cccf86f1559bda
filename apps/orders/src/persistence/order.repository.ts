import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork, type Statement } from '@app/messaging';
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

/** An order placed in this transaction, as it will be inserted. */
interface Placed {
  order: Order;
  deadlineAt: Date | null;
  readonly idempotency: { key: string; requestHash: string } | null;
}

/** What a transaction writes to orders and their history, gathered until it commits. */
interface Writes {
  readonly placed: Map<string, Placed>;
  /** The last state of each order a saga step moved; earlier states are never written. */
  readonly advanced: Map<string, { order: Order; deadlineAt: Date | null }>;
  /** In the order they happened. */
  readonly history: HistoryEntry[];
}

/**
 * Orders and their history. Writes go through the open unit of work, so they
 * commit or roll back with the messages they cause; reads outside one use the pool.
 * A transaction's writes are gathered as its work runs (nothing in it reads
 * them back: saga steps read the orders they locked from the transaction's own
 * copy) and written together in one statement just before it commits: however
 * many orders and saga steps share a transaction, they cost it one round trip.
 */
@Injectable()
export class OrderRepository {
  // What each transaction keeps is found by these keys.
  private readonly lockedKey = {};
  private readonly writesKey = {};

  constructor(private readonly unitOfWork: UnitOfWork) {
    // The orders of a transaction's messages, locked with its first statements.
    unitOfWork.readAhead(this.lockedKey, (ids) => lockOrders(ids));
  }

  /** The orders this transaction has locked or placed, as it last left them. */
  private lockedInTransaction(): Map<string, Order> {
    return this.unitOfWork.gathered(this.lockedKey, () => new Map<string, Order>());
  }

  private writesInTransaction(): Writes {
    return this.unitOfWork.gathered(
      this.writesKey,
      (): Writes => ({ placed: new Map(), advanced: new Map(), history: [] }),
      (writes) => this.write(writes),
    );
  }

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /** A new order and its first history entry, written when the transaction commits. */
  async insert(
    order: Order,
    deadlineAt: Date | null,
    idempotency: { key: string; requestHash: string } | null,
    entry: HistoryEntry,
  ): Promise<void> {
    const writes = this.writesInTransaction();
    writes.placed.set(order.id, { order, deadlineAt, idempotency });
    writes.history.push(entry);
    this.lockedInTransaction().set(order.id, order);
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
    const lockedAhead = this.unitOfWork.takeReadAhead<OrderRow>(this.lockedKey);
    if (lockedAhead) {
      for (const row of (await lockedAhead).rows) {
        if (!locked.has(row.id)) locked.set(row.id, fromRow(row));
      }
      const order = locked.get(id);
      if (order) return order;
    }
    const ids = [...new Set([id, ...this.unitOfWork.correlationIds])].filter(
      (other) => !locked.has(other),
    );
    const connection = await this.unitOfWork.connection();
    const { rows } = await connection.query<OrderRow>(lockOrders(ids.sort()));
    for (const row of rows) locked.set(row.id, fromRow(row));
    return locked.get(id) ?? null;
  }

  /** A saga step: the order's new state and the step's history entry, written at commit. */
  async advance(order: Order, deadlineAt: Date | null, entry: HistoryEntry): Promise<void> {
    this.lockedInTransaction().set(order.id, order);
    const writes = this.writesInTransaction();
    const placed = writes.placed.get(order.id);
    if (placed) Object.assign(placed, { order, deadlineAt });
    else writes.advanced.set(order.id, { order, deadlineAt });
    writes.history.push(entry);
  }

  async clearDeadline(id: string): Promise<void> {
    await this.unitOfWork.manager.update(OrderEntity, { id }, { deadlineAt: null });
  }

  /** A step that changed nothing, for the record; written at commit. */
  async appendHistory(entry: HistoryEntry): Promise<void> {
    this.writesInTransaction().history.push(entry);
  }

  private write({ placed, advanced, history }: Writes): Statement {
    const inserts = [...placed.values()];
    const updates = [...advanced.values()];
    return {
      query: {
        // Not prepared: a plan made while the table was small would scan it whole.
        text: WRITE_ORDERS,
        values: [
          inserts.map(({ order }) => order.id),
          inserts.map(({ order }) => order.customerId),
          inserts.map(({ order }) => order.status),
          inserts.map(({ order }) => order.currency),
          inserts.map(({ order }) => order.total),
          inserts.map(({ order }) => JSON.stringify(order.items)),
          inserts.map(({ order }) => JSON.stringify(order.address)),
          inserts.map(({ order }) => order.paymentId),
          inserts.map(({ order }) => order.shipmentId),
          inserts.map(({ order }) => order.trackingNumber),
          inserts.map(({ order }) => order.cancelReason),
          inserts.map(({ deadlineAt }) => deadlineAt),
          inserts.map(({ idempotency }) => idempotency?.key ?? null),
          inserts.map(({ idempotency }) => idempotency?.requestHash ?? null),
          inserts.map(({ order }) => order.createdAt),
          inserts.map(({ order }) => order.updatedAt),
          updates.map(({ order }) => order.id),
          updates.map(({ order }) => order.status),
          updates.map(({ order }) => order.paymentId),
          updates.map(({ order }) => order.shipmentId),
          updates.map(({ order }) => order.trackingNumber),
          updates.map(({ order }) => order.cancelReason),
          updates.map(({ order }) => order.updatedAt),
          updates.map(({ deadlineAt }) => deadlineAt),
          history.map((entry) => entry.orderId),
          history.map((entry) => entry.from),
          history.map((entry) => entry.to),
          history.map((entry) => entry.messageType),
          history.map((entry) => entry.messageId),
          history.map((entry) => entry.ignored),
          history.map((entry) => entry.note),
          history.map((entry) => entry.at),
        ],
      },
    };
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

/**
 * A transaction's writes in one statement: the orders it placed (as they
 * last left them), the last state of those its saga steps moved, and every history entry in the order
 * it happened (history ids follow it). Parameters as in OrderRepository.write.
 */
const WRITE_ORDERS = `
  WITH placed AS (
    INSERT INTO orders (id, customer_id, status, currency, total, items, address, payment_id,
      shipment_id, tracking_number, cancel_reason, deadline_at, idempotency_key, request_hash,
      created_at, updated_at)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[],
      $6::jsonb[], $7::jsonb[], $8::uuid[], $9::uuid[], $10::text[], $11::text[],
      $12::timestamptz[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[])
  ),
  advanced AS (
    UPDATE orders o SET status = a.status, payment_id = a.payment_id, shipment_id = a.shipment_id,
      tracking_number = a.tracking_number, cancel_reason = a.cancel_reason,
      updated_at = a.updated_at, deadline_at = a.deadline_at
    FROM unnest($17::uuid[], $18::text[], $19::uuid[], $20::uuid[], $21::text[], $22::text[],
      $23::timestamptz[], $24::timestamptz[])
      AS a(id, status, payment_id, shipment_id, tracking_number, cancel_reason, updated_at,
        deadline_at)
    WHERE o.id = a.id
  )
  INSERT INTO order_history (order_id, from_status, to_status, message_type, message_id, ignored,
    note, at)
  SELECT order_id, from_status, to_status, message_type, message_id, ignored, note, at
  FROM unnest($25::uuid[], $26::text[], $27::text[], $28::text[], $29::text[], $30::boolean[],
    $31::text[], $32::timestamptz[])
    WITH ORDINALITY AS h(order_id, from_status, to_status, message_type, message_id, ignored, note,
      at, position)
  ORDER BY position`;

/** Locks the orders in id order, so that transactions locking some of the same wait rather than deadlock. */
function lockOrders(sortedIds: readonly string[]) {
  return {
    // Not prepared: a plan made while the table was small would scan it whole.
    text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    values: [sortedIds],
  };
}
