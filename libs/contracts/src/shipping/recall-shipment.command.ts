import { z } from 'zod';
import { defineCommand, type PayloadOf } from '../message-definition.js';
import { id, reason } from '../fields.js';

/** Brings back a shipment that went out for an order that was cancelled meanwhile. */
export const RecallShipment = defineCommand(
  'shipping',
  'RecallShipment',
  z.strictObject({ orderId: id, shipmentId: id, reason }),
);
export type RecallShipment = PayloadOf<typeof RecallShipment>;
