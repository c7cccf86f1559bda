import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { RecallShipment } from '@app/contracts';
import { HandleCommand } from '@app/messaging';
import { RecallShipmentCommand } from '../commands/recall-shipment/recall-shipment.command.js';

/** Orders takes back a shipment that went out after the order was cancelled. */
@Controller()
export class RecallShipmentController {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleCommand(RecallShipment)
  async recallShipment(@Payload() command: RecallShipment): Promise<void> {
    const { orderId, shipmentId, reason } = command;
    await this.commandBus.execute(new RecallShipmentCommand(orderId, shipmentId, reason));
  }
}
