import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RefundPaymentV2, RefundPaymentV2ConsumersFirst } from '../../test/refund-payment-v2.js';
import { defineCommand, pastVersion } from '../message-definition.js';
import { ProcessPayment } from '../payments/process-payment.command.js';
import { ShipOrder } from '../shipping/ship-order.command.js';
import { readPayload, writePayload } from './payload.js';

const orderId = '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a';
const payment = {
  orderId,
  customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  amount: 1999,
  currency: 'EUR',
};
const shipment = {
  orderId,
  customerId: payment.customerId,
  items: [{ sku: 'A', quantity: 1 }],
  address: { line1: '1 St', city: 'Berlin', postalCode: '10115', country: 'DE' },
};
const refundV1 = {
  orderId,
  paymentId: '7c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f',
  amount: 500,
  currency: 'EUR',
  reason: 'arrived broken',
};

describe('a consumer reading a payload', () => {
  it('ignores fields it does not know, at the top and nested, and hands on only its own', () => {
    const newer = {
      ...shipment,
      giftWrap: true,
      items: [{ sku: 'A', quantity: 1, colour: 'red' }],
      address: { ...shipment.address, floor: 3 },
    };

    expect(readPayload(ShipOrder, 1, newer)).toEqual({ ok: true, payload: shipment });
  });

  it('fills an optional field left out with its documented default', () => {
    const Remind = defineCommand(
      'notifications',
      'Remind',
      z.strictObject({ orderId: z.uuid(), channel: z.enum(['email', 'sms']).default('email') }),
    );

    expect(readPayload(Remind, 1, { orderId })).toEqual({
      ok: true,
      payload: { orderId, channel: 'email' },
    });
  });

  it('still refuses a known field of the wrong type', () => {
    const read = readPayload(ProcessPayment, 1, { ...payment, amount: 19.99, loyaltyTier: 'gold' });
    expect(read).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^schema violation: amount: /),
    });
  });

  it('upcasts an older version to the current shape, so the handler sees one shape', () => {
    expect(readPayload(RefundPaymentV2, 1, refundV1)).toEqual({
      ok: true,
      payload: {
        orderId,
        paymentId: refundV1.paymentId,
        amount: 500,
        currency: 'EUR',
        reasonCode: 'other',
        reasonText: 'arrived broken',
      },
    });
  });

  it('reads the current version as it is', () => {
    const v2 = { ...refundV1, reason: undefined, reasonCode: 'out-of-stock', reasonText: 'gone' };
    const read = readPayload(RefundPaymentV2, 2, v2);
    expect(read.ok && read.payload).toMatchObject({
      reasonCode: 'out-of-stock',
      reasonText: 'gone',
    });
  });

  it('refuses a newer version as newer, saying which versions it knows, without reading it', () => {
    expect(readPayload(RefundPaymentV2, 3, refundV1)).toEqual({
      ok: false,
      newerVersion: true,
      reason:
        'message-version 3 of RefundPayment is newer than this consumer (knows 1..2): replay after upgrading',
    });
  });

  it('refuses a version it no longer reads, for good', () => {
    const Dropped = defineCommand('payments', 'RefundPayment', z.strictObject({ a: z.string() }), {
      version: 3,
      past: [pastVersion(2, z.strictObject({ b: z.string() }), ({ b }) => ({ a: b }))],
    });

    expect(readPayload(Dropped, 1, {})).toEqual({
      ok: false,
      newerVersion: false,
      reason: 'message-version 1 of RefundPayment is no longer read (knows 2..3)',
    });
    expect(readPayload(Dropped, 2, { b: 'x' })).toEqual({ ok: true, payload: { a: 'x' } });
  });

  it('says so when an upcaster fails or produces something the current version refuses', () => {
    const Broken = defineCommand('payments', 'Broken', z.strictObject({ a: z.string() }), {
      version: 3,
      past: [
        pastVersion(1, z.strictObject({ n: z.number() }), ({ n }) => {
          if (n < 0) throw new Error('negative');
          return { b: n };
        }),
        pastVersion(2, z.strictObject({ b: z.number() }), ({ b }) => ({ a: b })),
      ],
    });

    expect(readPayload(Broken, 1, { n: -1 })).toMatchObject({
      reason: 'upcasting version 1 failed: negative',
    });
    expect(readPayload(Broken, 1, { n: 1 })).toMatchObject({
      reason: expect.stringMatching(/^version 1 upcast to 3 breaks it: a: /),
    });
  });
});

describe('a producer writing a payload', () => {
  it('may send exactly its contract', () => {
    expect(writePayload(ProcessPayment, payment)).toEqual(payment);
  });

  it('cannot send a field outside its contract: the error names the message and the field', () => {
    const withUnknown = { ...payment, loyaltyTier: 'gold' };
    expect(() => writePayload(ProcessPayment, withUnknown)).toThrow(
      'ProcessPayment (version 1) cannot be sent: loyaltyTier: not in the contract',
    );
    const nested = { ...shipment, address: { ...shipment.address, floor: 3 } };
    expect(() => writePayload(ShipOrder, nested)).toThrow(/address\.floor: not in the contract/);
  });

  it('is held to the version it sends while consumers are upgraded first', () => {
    expect(RefundPaymentV2ConsumersFirst.sends).toBe(1);
    expect(writePayload(RefundPaymentV2ConsumersFirst, refundV1)).toEqual(refundV1);
    const v2 = { ...refundV1, reason: undefined, reasonCode: 'other', reasonText: 'x' };
    expect(() => writePayload(RefundPaymentV2ConsumersFirst, v2 as never)).toThrow(
      /RefundPayment \(version 1\) cannot be sent: .*reasonCode: not in the contract/,
    );
  });

  it('is refused a definition whose versions do not line up, or that sends one it does not declare', () => {
    const schema = z.strictObject({ a: z.string() });
    const v1 = pastVersion(1, schema, (old) => old);
    expect(() => defineCommand('payments', 'X', schema, { version: 0 })).toThrow(/positive/);
    expect(() => defineCommand('payments', 'X', schema, { version: 3, past: [v1] })).toThrow(
      /oldest first up to 2/,
    );
    expect(() =>
      defineCommand('payments', 'X', schema, {
        version: 2,
        past: [v1],
        sends: pastVersion(1, schema, (old) => old),
      }),
    ).toThrow(/only send a version it declares/);
  });
});
