import type { EventBus } from '@nestjs/cqrs';
import { writePayload, type MessageDefinition } from '@app/contracts';
import type { Outbox, RecordOptions } from '@app/messaging';
import type { AfterCommit } from '@app/transactions';
import { readOrdersConfig } from '../src/config.js';
import type { Order, OrderStatus } from '../src/domain/order.js';
import type {
  HistoryEntry,
  Idempotency,
  OrderStore,
  StoredOrder,
} from '../src/domain/order-store.js';

/** Orders in memory, for handler specs without I/O. */
export class InMemoryOrderStore implements OrderStore {
  readonly rows = new Map<string, StoredOrder>();
  readonly history: HistoryEntry[] = [];

  async insert(order: Order, idempotency: Idempotency | null, entry: HistoryEntry): Promise<void> {
    this.seed(order, idempotency);
    this.history.push(entry);
  }

  async lock(id: string): Promise<Order | null> {
    return this.rows.get(id)?.order ?? null;
  }

  async advance(order: Order, entry: HistoryEntry): Promise<void> {
    const row = this.rows.get(order.id);
    if (row) this.rows.set(order.id, { ...row, order });
    this.history.push(entry);
  }

  async appendHistory(entry: HistoryEntry): Promise<void> {
    this.history.push(entry);
  }

  async findByIdempotencyKey(key: string): Promise<StoredOrder | null> {
    return [...this.rows.values()].find((row) => row.idempotency?.key === key) ?? null;
  }

  async claimOverdue(now: Date): Promise<Order | null> {
    const overdue = [...this.rows.values()].find(
      ({ order }) => order.deadlineAt !== null && order.deadlineAt <= now,
    );
    return overdue?.order ?? null;
  }

  async clearDeadline(id: string): Promise<void> {
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, order: { ...row.order, deadlineAt: null } });
  }

  async countInStatus(status: OrderStatus): Promise<number> {
    return [...this.rows.values()].filter(({ order }) => order.status === status).length;
  }

  /** An order as if placed earlier, without its history. */
  seed(order: Order, idempotency: Idempotency | null = null): void {
    this.rows.set(order.id, { order, idempotency });
  }
}

/** The messages handlers record, in order. */
export class RecordedMessages implements Outbox {
  readonly sent: Array<{ name: string; payload: unknown; correlationId?: string }> = [];

  async send<S>(command: MessageDefinition<unknown, S>, payload: S, options?: RecordOptions) {
    return this.record(command, payload, options);
  }

  async publish<S>(event: MessageDefinition<unknown, S>, payload: S, options?: RecordOptions) {
    return this.record(event, payload, options);
  }

  private record<S>(message: MessageDefinition<unknown, S>, payload: S, options?: RecordOptions) {
    // Held to the contract as the real outbox is: a field outside it fails the spec.
    writePayload(message, payload);
    this.sent.push({ name: message.name, payload, correlationId: options?.correlationId });
    return `message-${this.sent.length}`;
  }
}

/** Nothing rolls back here: everything "commits" at once. */
export class ImmediateCommit implements AfterCommit {
  afterCommit(callback: () => void): void {
    callback();
  }
}

export class PublishedEvents implements Pick<EventBus, 'publish'> {
  readonly published: unknown[] = [];

  publish(event: object): void {
    this.published.push(event);
  }
}

export const testConfig = readOrdersConfig({
  ORDERS_PAYMENT_TIMEOUT_MS: '60000',
  ORDERS_SHIPPING_TIMEOUT_MS: '120000',
  ORDERS_REFUND_TIMEOUT_MS: '180000',
  ORDERS_REFUND_ATTEMPTS: '3',
});
