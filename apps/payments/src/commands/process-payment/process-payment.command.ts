import { Command } from '@nestjs/cqrs';

export type ProcessPaymentOutcome = 'completed' | 'declined' | 'already-processed';

export class ProcessPaymentCommand extends Command<ProcessPaymentOutcome> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly amount: number,
    readonly currency: string,
  ) {
    super();
  }
}
