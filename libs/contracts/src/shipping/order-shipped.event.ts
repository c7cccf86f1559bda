import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id } from '../fields.js';

export const OrderShipped = defineEvent(
  'shipping',
  'OrderShipped',
  z.strictObject({ orderId: id, shipmentId: id, trackingNumber: z.string().min(1).max(64) }),
);
export type OrderShipped = PayloadOf<typeof OrderShipped>;
