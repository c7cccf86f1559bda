import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Outbox } from '@app/messaging';
import { Transactional, UnitOfWork, type AfterCommit } from '@app/transactions';
import { ORDERS_CONFIG, sagaTimeouts, type OrdersConfig } from '../../config.js';
import { OrderStatus, placeOrder } from '../../domain/order.js';
import { IdempotencyKeyReused } from '../../domain/order-errors.js';
import { OrderStatusChangedEvent } from '../../domain/order-status-changed.event.js';
import { deadlineFor } from '../../domain/order-saga.js';
import { OrderStore, type Idempotency, type StoredOrder } from '../../domain/order-store.js';
import { recordMessages } from '../record-messages.js';
import {
  PlaceOrderCommand,
  type OrderRequest,
  type PlaceOrderResult,
} from './place-order.command.js';

export const PLACED_BY_REQUEST = 'PlaceOrder';

/**
 * The order, its first history entry and the messages it sends commit
 * together, in a transaction it may share with other requests. Two requests
 * with one Idempotency-Key at once: the loser's transaction fails on the
 * key, and its second run answers with the winner's order.
 */
@CommandHandler(PlaceOrderCommand)
@Transactional({ grouped: true, retryOnUniqueViolation: true })
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, PlaceOrderResult> {
  constructor(
    private readonly orders: OrderStore,
    private readonly outbox: Outbox,
    @Inject(UnitOfWork) private readonly transaction: AfterCommit,
    @Inject(EventBus) private readonly events: Pick<EventBus, 'publish'>,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  async execute({ request, idempotencyKey, cause }: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const idempotency = idempotencyKey
      ? { key: idempotencyKey, requestHash: fingerprint(request) }
      : null;
    if (idempotency) {
      const earlier = await this.orders.findByIdempotencyKey(idempotency.key);
      if (earlier) return replay(earlier, idempotency);
    }

    const now = new Date();
    const paymentDeadline = deadlineFor(OrderStatus.Pending, now, sagaTimeouts(this.config));
    const { order, messages } = placeOrder({ id: randomUUID(), ...request }, now, paymentDeadline);
    await this.orders.insert(order, idempotency, {
      orderId: order.id,
      from: null,
      to: order.status,
      messageType: PLACED_BY_REQUEST,
      messageId: cause.causationId,
      ignored: false,
      note: null,
      at: now,
    });
    await recordMessages(this.outbox, messages, order.id);
    const placed = new OrderStatusChangedEvent(order.id, null, order.status, PLACED_BY_REQUEST);
    this.transaction.afterCommit(() => this.events.publish(placed));
    return { order, replayed: false };
  }
}

function replay(earlier: StoredOrder, idempotency: Idempotency): PlaceOrderResult {
  if (earlier.idempotency?.requestHash !== idempotency.requestHash) {
    throw new IdempotencyKeyReused(idempotency.key);
  }
  return { order: earlier.order, replayed: true };
}

/** The same body, whatever the order of its keys, gives the same fingerprint. */
export function fingerprint(request: OrderRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
