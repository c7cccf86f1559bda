import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id } from '../fields.js';

export const OrderCompleted = defineEvent(
  'orders',
  'OrderCompleted',
  z.strictObject({ orderId: id, customerId: id }),
);
export type OrderCompleted = PayloadOf<typeof OrderCompleted>;
