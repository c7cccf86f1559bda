import { randomBytes } from 'node:crypto';
import type { Address } from '@app/contracts';

export const ShipmentStatus = {
  Shipped: 'SHIPPED',
  Failed: 'FAILED',
} as const;
export type ShipmentStatus = (typeof ShipmentStatus)[keyof typeof ShipmentStatus];

export interface ShipmentItem {
  readonly sku: string;
  readonly quantity: number;
}

export interface Shipment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly status: ShipmentStatus;
  readonly items: readonly ShipmentItem[];
  readonly address: Address;
  readonly trackingNumber: string | null;
  readonly failureReason: string | null;
  readonly createdAt: Date;
}

export type ShippingDecision =
  | { readonly shipped: true; readonly trackingNumber: string }
  | { readonly shipped: false; readonly reason: string };

/** The simulated carrier's rule: it delivers only to the configured countries. */
export function decideShipping(
  address: Address,
  countries: readonly string[],
  trackingNumber: () => string = newTrackingNumber,
): ShippingDecision {
  if (!countries.includes(address.country)) {
    return { shipped: false, reason: `shipping to ${address.country} is not supported` };
  }
  return { shipped: true, trackingNumber: trackingNumber() };
}

export function newTrackingNumber(): string {
  return `TRK${randomBytes(6).toString('hex').toUpperCase()}`;
}

export class ShipmentNotFound extends Error {
  readonly code = 'SHIPMENT.NOT_FOUND';
  constructor(id: string) {
    super(`shipment ${id} does not exist`);
  }
}
