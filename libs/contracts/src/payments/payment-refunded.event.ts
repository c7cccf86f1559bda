import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { currency, id, minorUnits } from '../fields.js';

export const PaymentRefunded = defineEvent(
  'payments',
  'PaymentRefunded',
  z.strictObject({ orderId: id, paymentId: id, amount: minorUnits, currency }),
);
export type PaymentRefunded = PayloadOf<typeof PaymentRefunded>;
