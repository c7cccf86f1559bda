import { Query } from '@nestjs/cqrs';
import type { PaymentDetails } from '../payment-details.js';

export class GetPaymentQuery extends Query<PaymentDetails> {
  constructor(
    readonly paymentId: string,
    /** The authenticated customer, who sees only their own; undefined with the API open. */
    readonly customerId?: string,
  ) {
    super();
  }
}
