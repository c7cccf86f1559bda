import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { currency, id, minorUnits } from '../fields.js';

export const PaymentCompleted = defineEvent(
  'payments',
  'PaymentCompleted',
  z.strictObject({ orderId: id, paymentId: id, amount: minorUnits, currency }),
);
export type PaymentCompleted = PayloadOf<typeof PaymentCompleted>;
