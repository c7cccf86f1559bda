import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id, reason } from '../fields.js';

export const PaymentDeclined = defineEvent(
  'payments',
  'PaymentDeclined',
  z.strictObject({ orderId: id, customerId: id, reason }),
);
export type PaymentDeclined = PayloadOf<typeof PaymentDeclined>;
