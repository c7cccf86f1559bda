import type { Payment, Refund } from '../domain/payment.js';

/** A payment with its refund, as the read side answers it. */
export interface PaymentDetails {
  readonly payment: Payment;
  readonly refund: Refund | null;
}
