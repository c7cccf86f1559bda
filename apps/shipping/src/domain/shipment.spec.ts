import { describe, expect, it } from 'vitest';
import { decideShipping } from './shipment.js';

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
