import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  OrderShipped,
  PaymentCompleted,
  PaymentDeclined,
  PaymentRefunded,
  ShipmentFailed,
} from '@app/contracts';
import { HandleEvent, JetStreamContext } from '@app/messaging';
import { AdvanceOrderSagaCommand } from '../commands/advance-order-saga/advance-order-saga.command.js';
import type { SagaMessage } from '../domain/order-saga.js';

/** The events that move an order's saga: each becomes one saga step for its order. */
@Controller()
export class SagaEventsController {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleEvent(PaymentCompleted)
  async paymentCompleted(
    @Payload() event: PaymentCompleted,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    const { paymentId, amount, currency } = event;
    await this.advance(
      event.orderId,
      { type: 'PaymentCompleted', paymentId, amount, currency },
      context,
    );
  }

  @HandleEvent(PaymentDeclined)
  async paymentDeclined(
    @Payload() event: PaymentDeclined,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.advance(event.orderId, { type: 'PaymentDeclined', reason: event.reason }, context);
  }

  @HandleEvent(PaymentRefunded)
  async paymentRefunded(
    @Payload() event: PaymentRefunded,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    const { paymentId, amount, currency } = event;
    await this.advance(
      event.orderId,
      { type: 'PaymentRefunded', paymentId, amount, currency },
      context,
    );
  }

  @HandleEvent(OrderShipped)
  async orderShipped(
    @Payload() event: OrderShipped,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    const { shipmentId, trackingNumber } = event;
    await this.advance(
      event.orderId,
      { type: 'OrderShipped', shipmentId, trackingNumber },
      context,
    );
  }

  @HandleEvent(ShipmentFailed)
  async shipmentFailed(
    @Payload() event: ShipmentFailed,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    await this.advance(event.orderId, { type: 'ShipmentFailed', reason: event.reason }, context);
  }

  private async advance(
    orderId: string,
    message: SagaMessage,
    context: JetStreamContext,
  ): Promise<void> {
    await this.commandBus.execute(
      new AdvanceOrderSagaCommand(orderId, message, context.getMetadata().messageId),
    );
  }
}
