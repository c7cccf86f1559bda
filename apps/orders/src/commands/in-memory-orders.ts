import type { EventBus } from '@nestjs/cqrs';
import type { MessageCause, Outbox, UnitOfWork } from '@app/messaging';
import type { OrdersConfig } from '../config.js';
import type { Order } from '../domain/order.js';
import type {
  HistoryEntry,
  OrderRepository,
  StoredOrder,
} from '../persistence/order.repository.js';

/** In-memory stand-ins for the handlers' collaborators, for specs without I/O. */
export class InMemoryOrders {
  readonly rows = new Map<string, StoredOrder & { deadlineAt: Date | null }>();
  readonly history: HistoryEntry[] = [];
  readonly sent: Array<{ name: string; payload: unknown; correlationId?: string }> = [];
  readonly causes: Array<MessageCause | undefined> = [];

  readonly repository = {
    insert: async (
      order: Order,
      deadlineAt: Date | null,
      idempotency: { key: string; requestHash: string } | null,
      entry: HistoryEntry,
    ) => {
      this.seed(order, deadlineAt, idempotency);
      this.history.push(entry);
    },
    lock: async (id: string) => this.rows.get(id)?.order ?? null,
    findById: async (id: string) => this.rows.get(id)?.order ?? null,
    advance: async (order: Order, deadlineAt: Date | null, entry: HistoryEntry) => {
      const row = this.rows.get(order.id);
      if (row) this.rows.set(order.id, { ...row, order, deadlineAt });
      this.history.push(entry);
    },
    appendHistory: async (entry: HistoryEntry) => {
      this.history.push(entry);
    },
    findByIdempotencyKey: async (key: string) =>
      [...this.rows.values()].find((row) => row.idempotencyKey === key) ?? null,
  } as unknown as OrderRepository;

  readonly published: unknown[] = [];

  /** An order as if placed earlier, without its history. */
  seed(
    order: Order,
    deadlineAt: Date | null,
    idempotency: { key: string; requestHash: string } | null = null,
  ): void {
    this.rows.set(order.id, {
      order,
      seq: this.rows.size + 1,
      deadlineAt,
      idempotencyKey: idempotency?.key ?? null,
      requestHash: idempotency?.requestHash ?? null,
    });
  }

  private readonly runInTransaction = async <T>(work: () => Promise<T>, cause?: MessageCause) => {
    this.causes.push(cause);
    return work();
  };

  readonly unitOfWork = {
    run: this.runInTransaction,
    runGrouped: this.runInTransaction,
    // Nothing rolls back here: everything "commits" at once.
    afterCommit: (callback: () => void) => callback(),
  } as unknown as UnitOfWork;

  readonly eventBus = {
    publish: (event: unknown) => {
      this.published.push(event);
    },
  } as unknown as EventBus;

  readonly outbox = {
    send: async (
      message: { name: string },
      payload: unknown,
      options?: { correlationId?: string },
    ) => {
      this.sent.push({ name: message.name, payload, correlationId: options?.correlationId });
      return 'id';
    },
    publish: async (
      message: { name: string },
      payload: unknown,
      options?: { correlationId?: string },
    ) => {
      this.sent.push({ name: message.name, payload, correlationId: options?.correlationId });
      return 'id';
    },
  } as unknown as Outbox;
}

export const testConfig = {
  ORDERS_PAYMENT_TIMEOUT_MS: 60_000,
  ORDERS_SHIPPING_TIMEOUT_MS: 120_000,
} as OrdersConfig;
