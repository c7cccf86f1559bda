import { randomBytes } from 'node:crypto';
import type { Address } from '@app/contracts';

export const ShipmentStatus = {
  Shipped: 'SHIPPED',
  Failed: 'FAILED',
  /** Went out for an order that had been cancelled meanwhile, and was brought back. */
  Recalled: 'RECALLED',
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
  readonly recallReason: string | null;
  readonly recalledAt: Date | null;
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

export type RecallDecision = 'recall' | 'already-recalled' | 'nothing-went-out';

/**
 * Whether a recall has anything to bring back. Asking twice recalls once; a
 * shipment that failed never left.
 */
export function decideRecall(shipment: Shipment): RecallDecision {
  if (shipment.status === ShipmentStatus.Recalled) return 'already-recalled';
  if (shipment.status === ShipmentStatus.Failed) return 'nothing-went-out';
  return 'recall';
}

export class ShipmentNotFound extends Error {
  readonly code = 'SHIPMENT.NOT_FOUND';
  constructor(id: string) {
    super(`shipment ${id} does not exist`);
  }
}

export class RecallNotPossible extends Error {
  readonly code = 'SHIPMENT.RECALL_NOT_POSSIBLE';
}
