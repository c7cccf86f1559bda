import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id, reason } from '../fields.js';

export const ShipmentRecalled = defineEvent(
  'shipping',
  'ShipmentRecalled',
  z.strictObject({
    orderId: id,
    shipmentId: id,
    trackingNumber: z.string().min(1).max(64),
    reason,
  }),
);
export type ShipmentRecalled = PayloadOf<typeof ShipmentRecalled>;
