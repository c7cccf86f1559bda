import { z } from 'zod';
import { currency, id, minorUnits, reason } from '../src/fields.js';
import { defineCommand, pastVersion } from '../src/message-definition.js';

/**
 * RefundPayment as a version 2 would be, for tests only: the free-text
 * `reason` split into a `reasonCode` and a `reasonText`.
 */
const refundPaymentV1 = z.strictObject({
  orderId: id,
  paymentId: id,
  amount: minorUnits,
  currency,
  reason,
});

const refundPaymentV2 = z.strictObject({
  orderId: id,
  paymentId: id,
  amount: minorUnits,
  currency,
  reasonCode: z.enum(['customer-request', 'out-of-stock', 'other']),
  reasonText: reason,
});

const v1 = pastVersion(1, refundPaymentV1, ({ reason, ...rest }) => ({
  ...rest,
  reasonCode: 'other' as const,
  reasonText: reason,
}));

/** Consumers read 1 and 2; producers send 2. */
export const RefundPaymentV2 = defineCommand('payments', 'RefundPayment', refundPaymentV2, {
  version: 2,
  past: [v1],
});

/** The release before: consumers read 1 and 2, producers still send 1. */
export const RefundPaymentV2ConsumersFirst = defineCommand(
  'payments',
  'RefundPayment',
  refundPaymentV2,
  { version: 2, past: [v1], sends: v1 },
);
