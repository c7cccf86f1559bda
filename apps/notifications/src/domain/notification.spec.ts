import { describe, expect, it } from 'vitest';
import { composeMessage, customerOf } from './notification.js';

const orderId = '0d7c3f36-3a44-4c4f-9d3f-7d1e7a5d2b10';
const customerId = '5b0f6c1e-8a3e-4a52-b6a1-2f9e0d4c7a21';

describe(composeMessage.name, () => {
  it('tells the customer the tracking number of a shipped order', () => {
    const message = composeMessage({
      type: 'OrderShipped',
      event: { orderId, shipmentId: customerId, trackingNumber: 'TRK42' },
    });
    expect(message.body).toContain('TRK42');
  });

  it('tells the customer why an order was cancelled', () => {
    const message = composeMessage({
      type: 'OrderCancelled',
      event: { orderId, customerId, reason: 'payment timeout' },
    });
    expect(message).toEqual({
      subject: 'Your order was cancelled',
      body: `Order ${orderId} was cancelled (payment timeout). Anything charged is refunded.`,
    });
  });

  it('corrects the "on its way" of a recalled shipment, naming the parcel', () => {
    const message = composeMessage({
      type: 'ShipmentRecalled',
      event: {
        orderId,
        shipmentId: customerId,
        trackingNumber: 'TRK42',
        reason: 'shipped after the order was cancelled',
      },
    });
    expect(message.subject).toBe('Correction: your order is not on its way');
    expect(message.body).toContain(`Order ${orderId} was cancelled`);
    expect(message.body).toContain('TRK42');
    expect(message.body).toContain('disregard our message that it is on its way');
  });
});

describe(customerOf.name, () => {
  it('knows no customer for an event that names none', () => {
    expect(
      customerOf({
        type: 'OrderShipped',
        event: { orderId, shipmentId: orderId, trackingNumber: 'T' },
      }),
    ).toBeNull();
  });
});
