import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { address, currency, id, minorUnits, quantity, sku } from '../fields.js';

export const OrderPlaced = defineEvent(
  'orders',
  'OrderPlaced',
  z.strictObject({
    orderId: id,
    customerId: id,
    total: minorUnits,
    currency,
    items: z
      .array(z.strictObject({ sku, quantity, unitPrice: minorUnits }))
      .min(1)
      .max(100),
    address,
  }),
);
export type OrderPlaced = PayloadOf<typeof OrderPlaced>;
