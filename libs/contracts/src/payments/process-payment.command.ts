import { z } from 'zod';
import { defineCommand, type PayloadOf } from '../message-definition.js';
import { currency, id, minorUnits } from '../fields.js';

export const ProcessPayment = defineCommand(
  'payments',
  'ProcessPayment',
  z.strictObject({ orderId: id, customerId: id, amount: minorUnits, currency }),
);
export type ProcessPayment = PayloadOf<typeof ProcessPayment>;
