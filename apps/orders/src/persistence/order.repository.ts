import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Address } from '@app/contracts';
import { column, insertInto, readAhead, UnitOfWork, updateEach } from '@app/transactions';
import type { Order, OrderItem, OrderStatus } from '../domain/order.js';
import {
  OrderStore,
  type HistoryEntry,
  type Idempotency,
  type StoredOrder,
} from '../domain/order-store.js';

export interface OrderFilter {
  readonly customerId?: string;
  readonly status?: OrderStatus;
  /** Only orders older than this position (the cursor). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

interface PlacedOrder {
  readonly order: Order;
  readonly idempotency: Idempotency | null;
}

/** An orders row, as the statements below select it. */
interface OrderRow {
  id: string;
  seq: string;
  customerId: string;
  currency: string;
  items: OrderItem[];
  address: Address;
  /** bigint: pg gives it as a string. */
  total: string;
  status: OrderStatus;
  paymentId: string | null;
  shipmentId: string | null;
  trackingNumber: string | null;
  cancelReason: string | null;
  refundAttempts: number;
  cancellationAnnounced: boolean;
  deadlineAt: Date | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const ORDER_COLUMNS = `id, seq, customer_id AS "customerId", currency, items, address, total,
  status, payment_id AS "paymentId", shipment_id AS "shipmentId",
  tracking_number AS "trackingNumber", cancel_reason AS "cancelReason",
  refund_attempts AS "refundAttempts", cancellation_announced AS "cancellationAnnounced",
  deadline_at AS "deadlineAt",
  idempotency_key AS "idempotencyKey", request_hash AS "requestHash",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const PLACED_ORDERS = insertInto<PlacedOrder>('orders', {
  id: column('uuid', ({ order }) => order.id),
  customer_id: column('uuid', ({ order }) => order.customerId),
  status: column('text', ({ order }) => order.status),
  currency: column('text', ({ order }) => order.currency),
  total: column('bigint', ({ order }) => order.total),
  items: column('jsonb', ({ order }) => order.items),
  address: column('jsonb', ({ order }) => order.address),
  payment_id: column('uuid', ({ order }) => order.paymentId),
  shipment_id: column('uuid', ({ order }) => order.shipmentId),
  tracking_number: column('text', ({ order }) => order.trackingNumber),
  cancel_reason: column('text', ({ order }) => order.cancelReason),
  refund_attempts: column('integer', ({ order }) => order.refundAttempts),
  cancellation_announced: column('boolean', ({ order }) => order.cancellationAnnounced),
  deadline_at: column('timestamptz', ({ order }) => order.deadlineAt),
  idempotency_key: column('text', ({ idempotency }) => idempotency?.key ?? null),
  request_hash: column('text', ({ idempotency }) => idempotency?.requestHash ?? null),
  created_at: column('timestamptz', ({ order }) => order.createdAt),
  updated_at: column('timestamptz', ({ order }) => order.updatedAt),
});

/** Declared after PLACED_ORDERS, so a transaction writes an order before it advances it. */
const ADVANCED_ORDERS = updateEach<Order>('orders', 'id', {
  id: column('uuid', (order) => order.id),
  status: column('text', (order) => order.status),
  payment_id: column('uuid', (order) => order.paymentId),
  shipment_id: column('uuid', (order) => order.shipmentId),
  tracking_number: column('text', (order) => order.trackingNumber),
  cancel_reason: column('text', (order) => order.cancelReason),
  refund_attempts: column('integer', (order) => order.refundAttempts),
  cancellation_announced: column('boolean', (order) => order.cancellationAnnounced),
  deadline_at: column('timestamptz', (order) => order.deadlineAt),
  updated_at: column('timestamptz', (order) => order.updatedAt),
});

/** In the order the steps happened: history ids follow it. */
const HISTORY = insertInto<HistoryEntry>('order_history', {
  order_id: column('uuid', (entry) => entry.orderId),
  from_status: column('text', (entry) => entry.from),
  to_status: column('text', (entry) => entry.to),
  message_type: column('text', (entry) => entry.messageType),
  message_id: column('text', (entry) => entry.messageId),
  ignored: column('boolean', (entry) => entry.ignored),
  note: column('text', (entry) => entry.note),
  at: column('timestamptz', (entry) => entry.at),
});

/** The orders of a transaction's messages, locked in id order, so that transactions wait rather than deadlock. */
const LOCK_ORDERS = readAhead<OrderRow>((ids) => ({
  // Not prepared: a plan made while the table was small would scan it whole.
  text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
  values: [ids],
}));

const CLAIM_OVERDUE = `SELECT ${ORDER_COLUMNS} FROM orders WHERE deadline_at <= $1
  ORDER BY deadline_at LIMIT 1 FOR UPDATE SKIP LOCKED`;

/**
 * Orders and their history. Writes are gathered in the transaction and sent
 * with its COMMIT (nothing in it reads them back: saga steps read the orders
 * they locked from the transaction's own copy), so however many orders and
 * steps share a transaction, their writes cost it no round trip. Reads of
 * committed orders use the pool.
 */
@Injectable()
export class OrderRepository extends OrderStore {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  async insert(order: Order, idempotency: Idempotency | null, entry: HistoryEntry): Promise<void> {
    this.unitOfWork.write(PLACED_ORDERS, { order, idempotency });
    this.unitOfWork.write(HISTORY, entry);
    this.lockedInTransaction().set(order.id, order);
  }

  /**
   * The first lock in a transaction locks, in one statement, the orders of all
   * the messages sharing it (read ahead with its first statements); the others
   * come from the transaction's own copy, kept up to date by `advance`.
   */
  async lock(id: string): Promise<Order | null> {
    const locked = this.lockedInTransaction();
    const known = locked.get(id);
    if (known) return known;
    for (const row of await this.unitOfWork.read(LOCK_ORDERS, id)) {
      if (!locked.has(row.id)) locked.set(row.id, toOrder(row));
    }
    return locked.get(id) ?? null;
  }

  async advance(order: Order, entry: HistoryEntry): Promise<void> {
    this.lockedInTransaction().set(order.id, order);
    this.unitOfWork.write(ADVANCED_ORDERS, order);
    this.unitOfWork.write(HISTORY, entry);
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    this.unitOfWork.write(HISTORY, entry);
  }

  async claimOverdue(now: Date): Promise<Order | null> {
    const { rows } = await this.unitOfWork.query<OrderRow>({ text: CLAIM_OVERDUE, values: [now] });
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async clearDeadline(id: string): Promise<void> {
    await this.unitOfWork.query({
      text: 'UPDATE orders SET deadline_at = NULL WHERE id = $1',
      values: [id],
    });
  }

  async countInStatus(status: OrderStatus): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ count: string }>>(
      'SELECT count(*) AS count FROM orders WHERE status = $1',
      [status],
    );
    return Number(row?.count ?? 0);
  }

  async findById(id: string): Promise<Order | null> {
    const [row] = await this.select('WHERE id = $1', [id]);
    return row ? toOrder(row) : null;
  }

  async findByIdempotencyKey(key: string): Promise<StoredOrder | null> {
    // On the transaction's own connection: work that holds a connection and
    // waits for a second one from the same pool can wait forever once every
    // connection is held that way (and always, on a single-session database).
    const {
      rows: [row],
    } = await this.unitOfWork.query<OrderRow>({
      text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE idempotency_key = $1`,
      values: [key],
    });
    if (!row) return null;
    const { idempotencyKey, requestHash } = row;
    return {
      order: toOrder(row),
      idempotency:
        idempotencyKey !== null && requestHash !== null
          ? { key: idempotencyKey, requestHash }
          : null,
    };
  }

  async history(orderId: string): Promise<HistoryEntry[]> {
    return this.dataSource.query(
      `SELECT order_id AS "orderId", from_status AS "from", to_status AS "to",
         message_type AS "messageType", message_id AS "messageId", ignored, note, at
       FROM order_history WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
  }

  /** Newest first, by insertion position. */
  async list(filter: OrderFilter): Promise<Array<{ order: Order; seq: number }>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (condition: string, value: unknown) => {
      values.push(value);
      conditions.push(condition.replace('?', `$${values.length}`));
    };
    if (filter.customerId) where('customer_id = ?', filter.customerId);
    if (filter.status) where('status = ?', filter.status);
    if (filter.beforeSeq !== undefined) where('seq < ?', filter.beforeSeq);
    values.push(filter.limit);
    const rows = await this.select(
      `${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => ({ order: toOrder(row), seq: Number(row.seq) }));
  }

  /** Committed orders, read on the pool: no transaction needed, none held. */
  private select(clauses: string, values: unknown[]): Promise<OrderRow[]> {
    return this.dataSource.query(`SELECT ${ORDER_COLUMNS} FROM orders ${clauses}`, values);
  }

  /** The orders this transaction has locked or placed, as it last left them. */
  private lockedInTransaction(): Map<string, Order> {
    return this.unitOfWork.kept(this, () => new Map<string, Order>());
  }
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customerId,
    currency: row.currency,
    items: row.items,
    address: row.address,
    total: Number(row.total),
    status: row.status,
    paymentId: row.paymentId,
    shipmentId: row.shipmentId,
    trackingNumber: row.trackingNumber,
    cancelReason: row.cancelReason,
    refundAttempts: row.refundAttempts,
    cancellationAnnounced: row.cancellationAnnounced,
    deadlineAt: row.deadlineAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
