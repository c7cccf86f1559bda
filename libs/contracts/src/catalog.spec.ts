import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog, findBySubject } from './catalog.js';
import {
  deadLetterSubject,
  deadLetterSubjectsOf,
  defineCommand,
  defineEvent,
} from './message-definition.js';
import { PaymentDeclined } from './payments/payment-declined.event.js';
import { ProcessPayment } from './payments/process-payment.command.js';
import { ShipOrder } from './shipping/ship-order.command.js';

describe('message catalog', () => {
  it('derives every subject from the kind, the owning app and the name', () => {
    expect(catalog.map((message) => message.subject).sort()).toEqual([
      'cmd.payments.ProcessPayment',
      'cmd.payments.RefundPayment',
      'cmd.shipping.RecallShipment',
      'cmd.shipping.ShipOrder',
      'evt.orders.OrderCancelled',
      'evt.orders.OrderCompleted',
      'evt.orders.OrderPlaced',
      'evt.payments.PaymentCompleted',
      'evt.payments.PaymentDeclined',
      'evt.payments.PaymentRefunded',
      'evt.shipping.OrderShipped',
      'evt.shipping.ShipmentFailed',
      'evt.shipping.ShipmentRecalled',
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

describe('message definitions', () => {
  it('takes letters, digits and dashes after a first letter as subject tokens, and says why it refuses others', () => {
    expect(defineEvent('probe-listener', 'Probe-2', z.object({})).subject).toBe(
      'evt.probe-listener.Probe-2',
    );
    for (const [app, name] of [
      ['1payments', 'X'],
      ['payments', ''],
      ['payments', 'X.Y'],
      ['pay ments', 'X'],
    ] as const) {
      expect(() => defineCommand(app, name, z.object({}))).toThrow(
        `"${app}" and "${name}" must be plain subject tokens`,
      );
    }
  });

  it("keeps a consumer's dead letters under dlq.<app>.<message>", () => {
    expect(deadLetterSubject('shipping', ShipOrder)).toBe('dlq.shipping.ShipOrder');
    expect(deadLetterSubjectsOf('shipping')).toBe('dlq.shipping.>');
  });
});

describe('field shapes', () => {
  const valid = {
    orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
    customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
    reason: 'over the limit',
  };
  const shipment = {
    orderId: valid.orderId,
    customerId: valid.customerId,
    items: [{ sku: 'A', quantity: 1 }],
    address: { line1: '1 St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  };
  const problems = (result: { error?: { issues: Array<{ message: string }> } }) =>
    result.error?.issues.map((issue) => issue.message) ?? [];

  it('takes money as a whole, non-negative number of minor units, in an ISO 4217 currency', () => {
    const payment = {
      orderId: valid.orderId,
      customerId: valid.customerId,
      amount: 0,
      currency: 'EUR',
    };
    expect(ProcessPayment.schema.safeParse(payment).success).toBe(true);
    expect(ProcessPayment.schema.safeParse({ ...payment, amount: -1 }).success).toBe(false);
    for (const currency of ['EURO', '1EUR', 'EU']) {
      expect(problems(ProcessPayment.schema.safeParse({ ...payment, currency }))).toEqual([
        'an ISO 4217 code such as "EUR"',
      ]);
    }
  });

  it('takes free text within its bounds, without the NUL character', () => {
    const accepts = (reason: string) => PaymentDeclined.schema.safeParse({ ...valid, reason });
    expect(accepts('x').success).toBe(true);
    expect(accepts('x'.repeat(500)).success).toBe(true);
    expect(accepts('').success).toBe(false);
    expect(accepts('x'.repeat(501)).success).toBe(false);
    expect(problems(accepts('a\u0000b'))).toEqual(['must not contain the NUL character']);
  });

  it('takes 1 to 1000 of an item, by a SKU of 1 to 64 characters, to an ISO 3166 country', () => {
    const ship = (item: { sku: string; quantity: number }, country = 'DE') =>
      ShipOrder.schema.safeParse({
        ...shipment,
        items: [item],
        address: { ...shipment.address, country },
      }).success;
    expect(ship({ sku: 'A', quantity: 1000 })).toBe(true);
    expect(ship({ sku: 'A'.repeat(64), quantity: 1 })).toBe(true);
    expect(ship({ sku: 'A', quantity: 0 })).toBe(false);
    expect(ship({ sku: 'A', quantity: 1001 })).toBe(false);
    expect(ship({ sku: '', quantity: 1 })).toBe(false);
    expect(ship({ sku: 'A'.repeat(65), quantity: 1 })).toBe(false);
    for (const country of ['DEU', 'XDE', 'de']) {
      expect(
        problems(
          ShipOrder.schema.safeParse({ ...shipment, address: { ...shipment.address, country } }),
        ),
      ).toEqual(['an ISO 3166 alpha-2 code such as "DE"']);
    }
  });
});
