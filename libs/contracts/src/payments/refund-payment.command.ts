import { z } from 'zod';
import { defineCommand, type PayloadOf } from '../message-definition.js';
import { currency, id, minorUnits, reason } from '../fields.js';

export const RefundPayment = defineCommand(
  'payments',
  'RefundPayment',
  z.strictObject({ orderId: id, paymentId: id, amount: minorUnits, currency, reason }),
);
export type RefundPayment = PayloadOf<typeof RefundPayment>;
