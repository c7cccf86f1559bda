import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PaymentNotFound } from '../../domain/payment.js';
import { PaymentRepository } from '../../persistence/payment.repository.js';
import type { PaymentDetails } from '../payment-details.js';
import { GetPaymentQuery } from './get-payment.query.js';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery, PaymentDetails> {
  constructor(private readonly payments: PaymentRepository) {}

  async execute({ paymentId }: GetPaymentQuery): Promise<PaymentDetails> {
    const payment = await this.payments.findById(paymentId);
    if (!payment) throw new PaymentNotFound(paymentId);
    const [refund] = await this.payments.refundsOf([payment.id]);
    return { payment, refund: refund ?? null };
  }
}
