import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  OrderShipped,
  PaymentDeclined,
  ShipmentRecalled,
} from '@app/contracts';
import { HandleEvent, JetStreamContext } from '@app/messaging';
import { NotifyCustomerCommand } from '../commands/notify-customer/notify-customer.command.js';
import type { CustomerEvent } from '../domain/notification.js';

/** Every event a customer hears about; notifications reacts, it is told nothing (choreography). */
@Controller()
export class CustomerEventsController {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleEvent(OrderPlaced)
  async orderPlaced(
    @Payload() event: OrderPlaced,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'OrderPlaced', event }, context);
  }

  @HandleEvent(PaymentDeclined)
  async paymentDeclined(
    @Payload() event: PaymentDeclined,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'PaymentDeclined', event }, context);
  }

  @HandleEvent(OrderShipped)
  async orderShipped(
    @Payload() event: OrderShipped,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'OrderShipped', event }, context);
  }

  @HandleEvent(OrderCompleted)
  async orderCompleted(
    @Payload() event: OrderCompleted,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'OrderCompleted', event }, context);
  }

  @HandleEvent(OrderCancelled)
  async orderCancelled(
    @Payload() event: OrderCancelled,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'OrderCancelled', event }, context);
  }

  @HandleEvent(ShipmentRecalled)
  async shipmentRecalled(
    @Payload() event: ShipmentRecalled,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.notify({ type: 'ShipmentRecalled', event }, context);
  }

  private async notify(input: CustomerEvent, context: JetStreamContext): Promise<void> {
    await this.commandBus.execute(
      new NotifyCustomerCommand(input, context.getMetadata().messageId),
    );
  }
}
