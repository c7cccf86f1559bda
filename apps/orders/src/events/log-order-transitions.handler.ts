import { Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { OrderStatus } from '../domain/order.js';
import { OrderStatusChangedEvent } from '../domain/order-status-changed.event.js';

/** One log line per committed transition, with the order id as the correlation id. */
@EventsHandler(OrderStatusChangedEvent)
export class LogOrderTransitionsHandler implements IEventHandler<OrderStatusChangedEvent> {
  private readonly logger = new Logger('OrderSaga');

  handle({ orderId, from, to, cause, note }: OrderStatusChangedEvent): void {
    const line = `order ${orderId}: ${from ?? '(new)'} -> ${to} on ${cause}`;
    // A parked order waits for a person: its line is an error, for whoever watches the logs.
    if (to === OrderStatus.RefundStalled) {
      this.logger.error(`${line}, parked for an operator: ${note ?? 'refund not confirmed'}`);
      return;
    }
    this.logger.log(note ? `${line} (${note})` : line);
  }
}
