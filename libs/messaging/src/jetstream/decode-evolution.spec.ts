import { describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { catalog, recipientsOf, type MessageDefinition } from '@app/contracts';
import { samplePayload } from '../../../contracts/test/sample-payload.js';
import { RefundPaymentV2 } from '../../../contracts/test/refund-payment-v2.js';
import { decode, type RawMessage } from './decode.js';

const orderId = '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a';

function aDelivery(message: MessageDefinition, body: unknown, version?: number): RawMessage {
  const headers = natsHeaders();
  headers.set('Nats-Msg-Id', 'm-1');
  headers.set('correlation-id', orderId);
  if (version !== undefined) headers.set('message-version', String(version));
  return {
    subject: message.subject,
    headers,
    data: new TextEncoder().encode(JSON.stringify(body)),
  };
}

/** Adds a field nobody knows to the body and to every object in it, as a newer producer might. */
function withUnknownFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownFields);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, field]) => [key, withUnknownFields(field)]);
  return { ...Object.fromEntries(entries), addedLater: { by: 'a newer producer' } };
}

const consumed = catalog.filter((message) => recipientsOf(message).length > 0);

describe('decoding a message with fields this consumer does not know', () => {
  it.each(consumed.map((message) => [message.name, message] as const))(
    'accepts %s and hands the handler only the fields of its contract',
    (_name, message) => {
      const body = samplePayload(message.schema);

      const decoded = decode(aDelivery(message, withUnknownFields(body)), message);

      expect(decoded).toMatchObject({ ok: true });
      expect(decoded.ok && decoded.payload).toEqual(body);
    },
  );
});

describe('decoding another version than the current one', () => {
  const refund = {
    orderId,
    paymentId: '7c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f',
    amount: 500,
    currency: 'EUR',
    reason: 'arrived broken',
  };

  it('upcasts an older version, so the handler sees the current shape', () => {
    const decoded = decode(aDelivery(RefundPaymentV2, refund, 1), RefundPaymentV2);

    expect(decoded.ok && decoded.metadata.messageVersion).toBe(1);
    expect(decoded.ok && decoded.payload).toEqual({
      ...refund,
      reason: undefined,
      reasonCode: 'other',
      reasonText: 'arrived broken',
    });
  });

  it('takes a message without message-version, as stored before versions, for version 1', () => {
    const decoded = decode(aDelivery(RefundPaymentV2, refund), RefundPaymentV2);

    expect(decoded.ok && decoded.payload).toMatchObject({ reasonCode: 'other' });
  });

  it('does not read a newer version, and says so', () => {
    const decoded = decode(aDelivery(RefundPaymentV2, refund, 3), RefundPaymentV2);

    expect(decoded).toMatchObject({ ok: false, newerVersion: true });
  });
});
