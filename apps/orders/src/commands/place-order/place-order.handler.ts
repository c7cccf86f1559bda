import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Outbox, UnitOfWork } from '@app/messaging';
import { ORDERS_CONFIG, type OrdersConfig } from '../../config.js';
import { placeOrder } from '../../domain/order.js';
import { IdempotencyKeyReused } from '../../domain/order-errors.js';
import { OrderStatusChangedEvent } from '../../domain/order-status-changed.event.js';
import { deadlineFor } from '../../domain/order-saga.js';
import { OrderRepository, type StoredOrder } from '../../persistence/order.repository.js';
import { recordMessages } from '../record-messages.js';
import {
  PlaceOrderCommand,
  type OrderRequest,
  type PlaceOrderResult,
} from './place-order.command.js';

export const PLACED_BY_REQUEST = 'PlaceOrder';

@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, PlaceOrderResult> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly eventBus: EventBus,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  async execute({
    request,
    requestId,
    idempotencyKey,
    traceparent,
  }: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const idempotency = idempotencyKey
      ? { key: idempotencyKey, requestHash: fingerprint(request) }
      : null;
    if (idempotency) {
      const earlier = await this.orders.findByIdempotencyKey(idempotency.key);
      if (earlier) return replay(earlier, idempotency.key, idempotency.requestHash);
    }

    const id = randomUUID();
    try {
      const order = await this.unitOfWork.runGrouped(
        async () => {
          const now = new Date();
          const { order, messages } = placeOrder({ id, ...request }, now);
          await this.orders.insert(
            order,
            deadlineFor(order.status, now, this.timeouts),
            idempotency,
            {
              orderId: id,
              from: null,
              to: order.status,
              messageType: PLACED_BY_REQUEST,
              messageId: requestId,
              ignored: false,
              note: null,
              at: now,
            },
          );
          await recordMessages(this.outbox, messages, id);
          return order;
        },
        { causationId: requestId, correlationId: id, traceparent },
      );
      this.eventBus.publish(new OrderStatusChangedEvent(id, null, order.status, PLACED_BY_REQUEST));
      return { order, replayed: false };
    } catch (error) {
      // Two requests with one key at once: the loser answers with the winner's order.
      if (idempotency && isUniqueViolation(error)) {
        const winner = await this.orders.findByIdempotencyKey(idempotency.key);
        if (winner) return replay(winner, idempotency.key, idempotency.requestHash);
      }
      throw error;
    }
  }

  private get timeouts() {
    return {
      paymentTimeoutMs: this.config.ORDERS_PAYMENT_TIMEOUT_MS,
      shippingTimeoutMs: this.config.ORDERS_SHIPPING_TIMEOUT_MS,
    };
  }
}

function replay(earlier: StoredOrder, key: string, requestHash: string): PlaceOrderResult {
  if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReused(key);
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

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
  );
}
