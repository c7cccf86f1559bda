import { Query } from '@nestjs/cqrs';
import type { PaymentDetails } from '../payment-details.js';

/** The payments of one order: none yet, or its one payment. */
export class ListPaymentsQuery extends Query<PaymentDetails[]> {
  constructor(readonly orderId: string) {
    super();
  }
}
