import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PaymentRepository } from '../../persistence/payment.repository.js';
import type { PaymentDetails } from '../payment-details.js';
import { ListPaymentsQuery } from './list-payments.query.js';

@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery, PaymentDetails[]> {
  constructor(private readonly payments: PaymentRepository) {}

  async execute({ orderId, customerId }: ListPaymentsQuery): Promise<PaymentDetails[]> {
    const payment = await this.payments.findByOrderId(orderId);
    if (!payment || (customerId !== undefined && payment.customerId !== customerId)) return [];
    const [refund] = await this.payments.refundsOf([payment.id]);
    return [{ payment, refund: refund ?? null }];
  }
}
