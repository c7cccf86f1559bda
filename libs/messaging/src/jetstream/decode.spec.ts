import { describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import { ProcessPayment, ShipOrder, type MessageDefinition } from '@app/contracts';
import { decode, MAX_BODY_BYTES } from './decode.js';

const body = {
  orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
  customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  amount: 1999,
  currency: 'EUR',
};

function aDelivery(
  values: Record<string, string> = {},
  data: string | Uint8Array = JSON.stringify(body),
): JsMsg {
  const headers = natsHeaders();
  const all = {
    'Nats-Msg-Id': 'm-1',
    'message-type': 'ProcessPayment',
    'correlation-id': body.orderId,
    ...values,
  };
  for (const [name, value] of Object.entries(all)) if (value !== '') headers.set(name, value);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return { headers, data: bytes, subject: ProcessPayment.subject } as JsMsg;
}

describe('decode', () => {
  it('gives the validated payload and the metadata of a well-formed delivery', () => {
    const decoded = decode(
      aDelivery({
        'causation-id': 'c-1',
        traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`,
      }),
      ProcessPayment,
    );

    expect(decoded).toEqual({
      ok: true,
      payload: body,
      metadata: {
        messageId: 'm-1',
        messageType: 'ProcessPayment',
        messageVersion: 1,
        correlationId: body.orderId,
        causationId: 'c-1',
        traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`,
      },
    });
  });

  it('accepts a field it does not know, as a newer producer sends, and leaves it out of the payload', () => {
    const decoded = decode(
      aDelivery({}, JSON.stringify({ ...body, loyaltyTier: 'gold' })),
      ProcessPayment,
    );

    expect(decoded.ok && decoded.payload).toEqual(body);
  });

  it('reads a message without message-version as version 1, as messages from before versions are', () => {
    const decoded = decode(aDelivery(), ProcessPayment);
    const explicit = decode(aDelivery({ 'message-version': '1' }), ProcessPayment);

    expect(decoded.ok && decoded.metadata.messageVersion).toBe(1);
    expect(explicit.ok && explicit.metadata.messageVersion).toBe(1);
  });

  it('refuses a newer version as such, for the worker to hand back rather than dead-letter at once', () => {
    const decoded = decode(aDelivery({ 'message-version': '3' }), ProcessPayment);

    expect(decoded).toEqual({
      ok: false,
      newerVersion: true,
      reason:
        'message-version 3 of ProcessPayment is newer than this consumer (knows 1..1): replay after upgrading',
    });
  });

  it('takes the identity of the original from a replay, so inboxes recognise it', () => {
    const decoded = decode(
      aDelivery({ 'Nats-Msg-Id': 'm-1:replay:7', 'replay-of': 'm-1' }),
      ProcessPayment,
    );

    expect(decoded.ok && decoded.metadata.messageId).toBe('m-1');
  });

  it.each([
    ['a body that is not JSON', aDelivery({}, '{"orderId"'), /^malformed body: /],
    [
      'a body that is not UTF-8',
      aDelivery({}, new Uint8Array([0x7b, 0xff, 0x7d])),
      /^malformed body: /,
    ],
    [
      'a missing field',
      aDelivery({}, JSON.stringify({ ...body, amount: undefined })),
      /^schema violation: amount: /,
    ],
    [
      'a body too large to be a message, whatever its fields',
      aDelivery({}, JSON.stringify({ ...body, padding: 'x'.repeat(MAX_BODY_BYTES) })),
      /^body too large: \d+ bytes, at most 262144$/,
    ],
    [
      'a message-version that is not a positive integer',
      aDelivery({ 'message-version': 'v2' }),
      /^invalid header message-version: "v2" is not a positive integer$/,
    ],
    ['no Nats-Msg-Id', aDelivery({ 'Nats-Msg-Id': '' }), /^missing header Nats-Msg-Id$/],
    ['no correlation-id', aDelivery({ 'correlation-id': '' }), /^missing header correlation-id$/],
    [
      'a correlation-id that is not an order id',
      aDelivery({ 'correlation-id': "' OR 1=1 --" }),
      /^invalid header correlation-id/,
    ],
    [
      'a message-type of another message',
      aDelivery({ 'message-type': 'ShipOrder' }),
      /does not match subject/,
    ],
  ])('refuses %s', (_case, delivery, reason) => {
    const decoded = decode(delivery, ProcessPayment);

    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});

describe('decode, reasons', () => {
  function reasonFor(delivery: JsMsg, definition: MessageDefinition = ProcessPayment): string {
    const decoded = decode(delivery, definition);
    return decoded.ok ? 'ok' : decoded.reason;
  }

  it('refuses a body with bytes that are not UTF-8 inside a string as malformed, not as invalid', () => {
    const json = new TextEncoder().encode(JSON.stringify({ ...body, currency: 'E_R' }));
    json[json.indexOf('_'.charCodeAt(0))] = 0xff;

    expect(reasonFor(aDelivery({}, json))).toMatch(/^malformed body: /);
  });

  it("gives the JSON parser's own words for a malformed body", () => {
    let parserSays = '';
    try {
      JSON.parse('{"orderId"');
    } catch (error) {
      parserSays = (error as Error).message;
    }

    expect(reasonFor(aDelivery({}, '{"orderId"'))).toBe(`malformed body: ${parserSays}`);
  });

  it('names the body itself when it is not an object', () => {
    expect(reasonFor(aDelivery({}, '[]'))).toMatch(/^schema violation: \(body\): /);
  });

  it('names a nested field by its path, and lists every violation', () => {
    const shipment = {
      orderId: body.orderId,
      customerId: body.customerId,
      items: [{ sku: 'A', quantity: 0 }],
      address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    };
    expect(
      reasonFor(aDelivery({ 'message-type': 'ShipOrder' }, JSON.stringify(shipment)), ShipOrder),
    ).toMatch(/^schema violation: items\.0\.quantity: [^;]+$/);
    expect(
      reasonFor(aDelivery({}, JSON.stringify({ ...body, amount: undefined, currency: 'eur' }))),
    ).toMatch(/^schema violation: amount: [^;]+; currency: [^;]+$/);
  });
});
