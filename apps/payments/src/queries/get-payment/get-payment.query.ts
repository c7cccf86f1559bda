import { Query } from '@nestjs/cqrs';
import type { PaymentDetails } from '../payment-details.js';

export class GetPaymentQuery extends Query<PaymentDetails> {
  constructor(readonly paymentId: string) {
    super();
  }
}
