import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PaymentNotFound } from '../../domain/payment.js';
import { PaymentRepository } from '../../persistence/payment.repository.js';
import type { PaymentDetails } from '../payment-details.js';
import { GetPaymentQuery } from './get-payment.query.js';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery, PaymentDetails> {
  constructor(private readonly payments: PaymentRepository) {}

  async execute({ paymentId, customerId }: GetPaymentQuery): Promise<PaymentDetails> {
    const payment = await this.payments.findById(paymentId);
    // Another customer's payment is as unknown as one that does not exist.
    if (!payment || (customerId !== undefined && payment.customerId !== customerId)) {
      throw new PaymentNotFound(paymentId);
    }
    const [refund] = await this.payments.refundsOf([payment.id]);
    return { payment, refund: refund ?? null };
  }
}
