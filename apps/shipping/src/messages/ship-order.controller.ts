import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { ShipOrder } from '@app/contracts';
import { HandleCommand } from '@app/messaging';
import { ShipOrderCommand } from '../commands/ship-order/ship-order.command.js';

/** Orders asks shipping to ship a paid order. */
@Controller()
export class ShipOrderController {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleCommand(ShipOrder)
  async shipOrder(@Payload() command: ShipOrder): Promise<void> {
    const { orderId, customerId, items, address } = command;
    await this.commandBus.execute(new ShipOrderCommand(orderId, customerId, items, address));
  }
}
