import { describe, expect, it } from 'vitest';
import { decideRecall, decideShipping, ShipmentStatus, type Shipment } from './shipment.js';

const anAddress = (country: string) => ({
  line1: '1 Main St',
  city: 'Town',
  postalCode: '12345',
  country,
});

describe(decideShipping.name, () => {
  it('ships to a supported country with a tracking number', () => {
    expect(decideShipping(anAddress('DE'), ['US', 'DE'], () => 'TRK1')).toEqual({
      shipped: true,
      trackingNumber: 'TRK1',
    });
  });

  it('fails a shipment to an unsupported country, saying which', () => {
    expect(decideShipping(anAddress('ZZ'), ['US', 'DE'])).toEqual({
      shipped: false,
      reason: 'shipping to ZZ is not supported',
    });
  });
});

describe(decideRecall.name, () => {
  const aShipment = (status: ShipmentStatus): Shipment => ({
    id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
    orderId: '7c1d7d9e-2b1a-4f0e-9a63-8d7f2b7f0c11',
    customerId: '2f6b9a4c-5d3e-4a1b-8c7d-9e0f1a2b3c4d',
    status,
    items: [{ sku: 'SKU-1', quantity: 1 }],
    address: anAddress('DE'),
    trackingNumber: status === ShipmentStatus.Failed ? null : 'TRK1',
    failureReason: null,
    recallReason: null,
    recalledAt: null,
    createdAt: new Date(),
  });

  it('recalls a shipment that went out', () => {
    expect(decideRecall(aShipment(ShipmentStatus.Shipped))).toBe('recall');
  });

  it('recalls a shipment once, however often asked', () => {
    expect(decideRecall(aShipment(ShipmentStatus.Recalled))).toBe('already-recalled');
  });

  it('has nothing to bring back of a shipment that failed', () => {
    expect(decideRecall(aShipment(ShipmentStatus.Failed))).toBe('nothing-went-out');
  });
});
