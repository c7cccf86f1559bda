import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog, findBySubject } from './catalog.js';
import { defineCommand, defineEvent } from './message-definition.js';
import { ProcessPayment } from './payments/process-payment.command.js';
import { ShipOrder } from './shipping/ship-order.command.js';

describe('message catalog', () => {
  it('derives every subject from the kind, the owning app and the name', () => {
    expect(catalog.map((message) => message.subject).sort()).toEqual([
      'cmd.payments.ProcessPayment',
      'cmd.payments.RefundPayment',
      'cmd.shipping.ShipOrder',
      'evt.orders.OrderCancelled',
      'evt.orders.OrderCompleted',
      'evt.orders.OrderPlaced',
      'evt.payments.PaymentCompleted',
      'evt.payments.PaymentDeclined',
      'evt.payments.PaymentRefunded',
      'evt.shipping.OrderShipped',
      'evt.shipping.ShipmentFailed',
    ]);
    expect(findBySubject('cmd.payments.ProcessPayment')).toBe(ProcessPayment);
  });

  it('refuses names that would break a subject', () => {
    expect(() => defineCommand('pay.ments', 'X', z.object({}))).toThrow();
    expect(() => defineEvent('orders', 'Order>Placed', z.object({}))).toThrow();
  });

  it('rejects unknown fields, fractional money, lower-case currencies and NUL in text', () => {
    const shipment = {
      orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
      customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      items: [{ sku: 'A', quantity: 1 }],
      address: { line1: '1 St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    };
    const valid = {
      orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
      customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      amount: 1999,
      currency: 'EUR',
    };
    expect(ProcessPayment.schema.safeParse(valid).success).toBe(true);
    expect(ProcessPayment.schema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(ProcessPayment.schema.safeParse({ ...valid, amount: 19.99 }).success).toBe(false);
    expect(ProcessPayment.schema.safeParse({ ...valid, currency: 'eur' }).success).toBe(false);
    expect(
      ShipOrder.schema.safeParse({ ...shipment, items: [{ sku: 'A\u0000', quantity: 1 }] }).success,
    ).toBe(false);
    expect(ShipOrder.schema.safeParse(shipment).success).toBe(true);
  });
});
