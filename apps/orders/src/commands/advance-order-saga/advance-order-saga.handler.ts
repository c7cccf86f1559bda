import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Outbox } from '@app/messaging';
import { Transactional, UnitOfWork, type AfterCommit } from '@app/transactions';
import { ORDERS_CONFIG, sagaTimeouts, type OrdersConfig } from '../../config.js';
import type { Order } from '../../domain/order.js';
import { OrderNotFound } from '../../domain/order-errors.js';
import { OrderStatusChangedEvent } from '../../domain/order-status-changed.event.js';
import { decide, deadlineAfter } from '../../domain/order-saga.js';
import { OrderStore } from '../../domain/order-store.js';
import { recordMessages } from '../record-messages.js';
import { AdvanceOrderSagaCommand, type SagaStepResult } from './advance-order-saga.command.js';

/**
 * Runs in the transaction of the message (or deadline) that caused it: the
 * new state, its history entry and the messages it sends commit together.
 */
@CommandHandler(AdvanceOrderSagaCommand)
@Transactional()
export class AdvanceOrderSagaHandler implements ICommandHandler<
  AdvanceOrderSagaCommand,
  SagaStepResult
> {
  private readonly logger = new Logger(AdvanceOrderSagaHandler.name);

  constructor(
    private readonly orders: OrderStore,
    private readonly outbox: Outbox,
    @Inject(UnitOfWork) private readonly transaction: AfterCommit,
    @Inject(EventBus) private readonly events: Pick<EventBus, 'publish'>,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  async execute({ orderId, message, causedBy }: AdvanceOrderSagaCommand): Promise<SagaStepResult> {
    // Throwing makes the transport retry: the order is created before any message about it exists.
    const order = await this.orders.lock(orderId);
    if (!order) throw new OrderNotFound(orderId);
    const now = new Date();
    const decision = decide(order, message);

    if (!decision.applied) {
      await this.orders.appendHistory({
        orderId,
        from: order.status,
        to: null,
        messageType: message.type,
        messageId: causedBy,
        ignored: true,
        note: decision.reason,
        at: now,
      });
      this.logger.warn(`order ${orderId}: ignored ${message.type} (${decision.reason})`);
      return { applied: false, status: order.status };
    }

    const next: Order = {
      ...order,
      ...decision.changes,
      status: decision.to,
      // A step that neither moves the order on nor retries leaves its clock running.
      deadlineAt: decision.restartsDeadline
        ? deadlineAfter(decision.awaits, now, sagaTimeouts(this.config))
        : order.deadlineAt,
      updatedAt: now,
    };
    await this.orders.advance(next, {
      orderId,
      from: decision.from,
      to: decision.to,
      messageType: message.type,
      messageId: causedBy,
      ignored: false,
      note: decision.note,
      at: now,
    });
    await recordMessages(this.outbox, decision.messages, orderId);
    const changed = new OrderStatusChangedEvent(
      orderId,
      decision.from,
      decision.to,
      message.type,
      decision.note,
    );
    this.transaction.afterCommit(() => this.events.publish(changed));
    return { applied: true, status: next.status };
  }
}
