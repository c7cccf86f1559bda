import { z } from 'zod';
import { defineCommand, type PayloadOf } from '../message-definition.js';
import { address, id, quantity, sku } from '../fields.js';

export const ShipOrder = defineCommand(
  'shipping',
  'ShipOrder',
  z.strictObject({
    orderId: id,
    customerId: id,
    items: z.array(z.strictObject({ sku, quantity })).min(1).max(100),
    address,
  }),
);
export type ShipOrder = PayloadOf<typeof ShipOrder>;
