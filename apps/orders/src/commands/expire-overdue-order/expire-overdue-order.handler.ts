import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '@app/transactions';
import { ORDERS_CONFIG, type OrdersConfig } from '../../config.js';
import { deadlineMessage } from '../../domain/order-saga.js';
import { OrderStore } from '../../domain/order-store.js';
import { AdvanceOrderSagaCommand } from '../advance-order-saga/advance-order-saga.command.js';
import { ExpireOverdueOrderCommand } from './expire-overdue-order.command.js';

/**
 * Claims one overdue order (skipping orders another replica holds), then lets
 * the saga decide, in one transaction: a deadline is handled once, by one replica.
 */
@CommandHandler(ExpireOverdueOrderCommand)
@Transactional()
export class ExpireOverdueOrderHandler implements ICommandHandler<
  ExpireOverdueOrderCommand,
  boolean
> {
  constructor(
    private readonly orders: OrderStore,
    private readonly commandBus: CommandBus,
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
  ) {}

  async execute({ cause }: ExpireOverdueOrderCommand): Promise<boolean> {
    const order = await this.orders.claimOverdue(new Date());
    if (!order) return false;
    const message = deadlineMessage(order, this.config.ORDERS_REFUND_ATTEMPTS);
    // A deadline left on a state that has none would be claimed forever: drop it.
    if (message) {
      await this.commandBus.execute(
        new AdvanceOrderSagaCommand(order.id, message, cause.causationId),
      );
    } else {
      await this.orders.clearDeadline(order.id);
    }
    return true;
  }
}
