import { Command } from '@nestjs/cqrs';

export type RefundPaymentOutcome = 'refunded' | 'already-refunded';

export class RefundPaymentCommand extends Command<RefundPaymentOutcome> {
  constructor(
    readonly orderId: string,
    readonly paymentId: string,
    readonly amount: number,
    readonly currency: string,
    readonly reason: string,
  ) {
    super();
  }
}
