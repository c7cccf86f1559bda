export const PaymentStatus = {
  Completed: 'COMPLETED',
  Declined: 'DECLINED',
  Refunded: 'REFUNDED',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  readonly declineReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Refund {
  readonly id: string;
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly createdAt: Date;
}

export type ChargeDecision =
  { readonly approved: true } | { readonly approved: false; readonly reason: string };

/** The simulated provider's rule: anything above the limit is declined. */
export function decideCharge(amount: number, declineAbove: number): ChargeDecision {
  if (amount > declineAbove) {
    return { approved: false, reason: `amount ${amount} is above the limit of ${declineAbove}` };
  }
  return { approved: true };
}

export class PaymentNotFound extends Error {
  readonly code = 'PAYMENT.NOT_FOUND';
  constructor(id: string) {
    super(`payment ${id} does not exist`);
  }
}

export class RefundNotPossible extends Error {
  readonly code = 'PAYMENT.REFUND_NOT_POSSIBLE';
}
