import { Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { OrderStatusChangedEvent } from '../domain/order-status-changed.event.js';

/** One log line per committed transition, with the order id as the correlation id. */
@EventsHandler(OrderStatusChangedEvent)
export class LogOrderTransitionsHandler implements IEventHandler<OrderStatusChangedEvent> {
  private readonly logger = new Logger('OrderSaga');

  handle({ orderId, from, to, cause }: OrderStatusChangedEvent): void {
    this.logger.log(`order ${orderId}: ${from ?? '(new)'} -> ${to} on ${cause}`);
  }
}
