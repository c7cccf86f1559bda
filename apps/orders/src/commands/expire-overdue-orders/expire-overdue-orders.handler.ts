import { randomUUID } from 'node:crypto';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/messaging';
import { deadlineMessage } from '../../domain/order-saga.js';
import { OrderRepository } from '../../persistence/order.repository.js';
import { AdvanceOrderSagaCommand } from '../advance-order-saga/advance-order-saga.command.js';
import { ExpireOverdueOrdersCommand } from './expire-overdue-orders.command.js';

/**
 * One transaction per overdue order: claim it (skipping orders another replica
 * holds), then let the saga decide, so a deadline is handled once, by one replica.
 */
@CommandHandler(ExpireOverdueOrdersCommand)
export class ExpireOverdueOrdersHandler implements ICommandHandler<
  ExpireOverdueOrdersCommand,
  number
> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly commandBus: CommandBus,
  ) {}

  async execute({ maxOrders }: ExpireOverdueOrdersCommand): Promise<number> {
    let expired = 0;
    while (expired < maxOrders) {
      // The deadline passing is the cause of what the saga does; it gets an id like a message.
      const tick = randomUUID();
      const found = await this.unitOfWork.run(
        async () => {
          const order = await this.orders.claimOverdue(new Date());
          if (!order) return false;
          const message = deadlineMessage(order.status);
          // A deadline left on a state that has none would be claimed forever: drop it.
          if (message)
            await this.commandBus.execute(new AdvanceOrderSagaCommand(order.id, message, tick));
          else await this.orders.clearDeadline(order.id);
          return true;
        },
        { causationId: tick },
      );
      if (!found) break;
      expired += 1;
    }
    return expired;
  }
}
