import { Query } from '@nestjs/cqrs';
import type { PaymentDetails } from '../payment-details.js';

/** The payments of one order: none yet, or its one payment. */
export class ListPaymentsQuery extends Query<PaymentDetails[]> {
  constructor(
    readonly orderId: string,
    /** The authenticated customer, who sees only their own; undefined with the API open. */
    readonly customerId?: string,
  ) {
    super();
  }
}
