import type { PaymentDetails } from '../queries/payment-details.js';

export function paymentView({ payment, refund }: PaymentDetails) {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    declineReason: payment.declineReason,
    refund: refund && {
      id: refund.id,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.reason,
      createdAt: refund.createdAt.toISOString(),
    },
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
