import { randomUUID } from 'node:crypto';

export interface OrderRequestOptions {
  readonly customerId?: string;
  readonly country?: string;
  readonly unitPrice?: number;
  readonly quantity?: number;
}

/** A valid POST /orders body: 2 × 1250 = 2500 cents, to Germany. */
export function anOrderRequest(options: OrderRequestOptions = {}) {
  return {
    customerId: options.customerId ?? randomUUID(),
    currency: 'EUR',
    items: [
      { sku: 'BOOK-42', quantity: options.quantity ?? 2, unitPrice: options.unitPrice ?? 1_250 },
    ],
    address: {
      line1: '1 Example Street',
      city: 'Berlin',
      postalCode: '10115',
      country: options.country ?? 'DE',
    },
  };
}
