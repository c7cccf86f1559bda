import { Command } from '@nestjs/cqrs';
import type { OrderStatus } from '../../domain/order.js';
import type { SagaMessage } from '../../domain/order-saga.js';

export interface SagaStepResult {
  readonly applied: boolean;
  readonly status: OrderStatus;
}

/** One message for one order's saga: an event it consumes, or a deadline passing. */
export class AdvanceOrderSagaCommand extends Command<SagaStepResult> {
  constructor(
    readonly orderId: string,
    readonly message: SagaMessage,
    /** The id of the message (or deadline tick) that caused it, for the history. */
    readonly causedBy: string,
  ) {
    super();
  }
}
