import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../message-definition.js';
import { id, reason } from '../fields.js';

export const ShipmentFailed = defineEvent(
  'shipping',
  'ShipmentFailed',
  z.strictObject({ orderId: id, reason }),
);
export type ShipmentFailed = PayloadOf<typeof ShipmentFailed>;
