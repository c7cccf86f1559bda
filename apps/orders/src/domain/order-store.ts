import type { Order, OrderStatus } from './order.js';

/** One message (or request) that reached an order's saga: a transition, or one ignored. */
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

/** The request fingerprint an Idempotency-Key was first used with. */
export interface Idempotency {
  readonly key: string;
  readonly requestHash: string;
}

export interface StoredOrder {
  readonly order: Order;
  readonly idempotency: Idempotency | null;
}

/**
 * What the order use cases need of storage. Every member runs in the
 * transaction of the work that calls it: its writes commit or roll back
 * with the messages that work records.
 */
export abstract class OrderStore {
  /** A new order and its first history entry. */
  abstract insert(
    order: Order,
    idempotency: Idempotency | null,
    entry: HistoryEntry,
  ): Promise<void>;

  /** The order, locked until the transaction ends, so its saga steps run one at a time. */
  abstract lock(id: string): Promise<Order | null>;

  /** A saga step: the order's new state (its deadline included) and the step's history entry. */
  abstract advance(order: Order, entry: HistoryEntry): Promise<void>;

  /** A step that changed nothing, for the record. */
  abstract appendHistory(entry: HistoryEntry): Promise<void>;

  /** The order an earlier request placed with this Idempotency-Key, read in the transaction. */
  abstract findByIdempotencyKey(key: string): Promise<StoredOrder | null>;

  /** One order whose deadline has passed, locked, skipping those another replica holds. */
  abstract claimOverdue(now: Date): Promise<Order | null>;

  abstract clearDeadline(id: string): Promise<void>;

  /** How many orders are in `status`, committed. */
  abstract countInStatus(status: OrderStatus): Promise<number>;
}
