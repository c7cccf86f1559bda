import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id, reason } from '../fields.js';

export const OrderCancelled = defineEvent(
  'orders',
  'OrderCancelled',
  z.strictObject({ orderId: id, customerId: id, reason }),
);
export type OrderCancelled = PayloadOf<typeof OrderCancelled>;
