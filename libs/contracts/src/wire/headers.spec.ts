import { describe, expect, it } from 'vitest';
import { ProcessPayment } from '../payments/process-payment.command.js';
import {
  DeadLetterHeader,
  Header,
  MESSAGE_HEADERS,
  readMessageHeaders,
  type StoredHeaders,
} from './headers.js';
import { isTraceparent } from './trace-context.js';

const orderId = '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a';

describe(readMessageHeaders.name, () => {
  it('needs only the id and the correlation id, and fills in the rest, version 1 included', () => {
    const read = readMessageHeaders(
      { [Header.MessageId]: 'm-1', [Header.CorrelationId]: orderId },
      ProcessPayment,
      ProcessPayment.subject,
    );
    expect(read.ok && read.metadata).toMatchObject({
      messageId: 'm-1',
      messageType: 'ProcessPayment',
      messageVersion: 1,
      correlationId: orderId,
      causationId: 'm-1',
    });
    expect(read.ok && isTraceparent(read.metadata.traceparent)).toBe(true);
  });

  it('takes a replayed message for the one it replays', () => {
    const read = readMessageHeaders(
      {
        [Header.MessageId]: 'm-1:replay:7',
        [Header.ReplayOf]: 'm-1',
        [Header.CorrelationId]: orderId,
      },
      ProcessPayment,
      ProcessPayment.subject,
    );
    expect(read.ok && read.metadata.messageId).toBe('m-1');
  });

  it('says which header is missing, malformed or does not match the subject', () => {
    const faulty: StoredHeaders[] = [
      {},
      { [Header.MessageId]: 'm-1' },
      { [Header.MessageId]: 'm-1', [Header.CorrelationId]: 'order-1' },
      { [Header.MessageId]: 'm-1', [Header.CorrelationId]: orderId, [Header.MessageType]: 'X' },
    ];
    const reasons = faulty.map((headers) => {
      const read = readMessageHeaders(headers, ProcessPayment, ProcessPayment.subject);
      return read.ok ? 'ok' : read.reason;
    });
    expect(reasons).toEqual([
      'missing header Nats-Msg-Id',
      'missing header correlation-id',
      'invalid header correlation-id: not a uuid',
      'message-type "X" does not match subject cmd.payments.ProcessPayment',
    ]);
  });
});

describe('header names', () => {
  // Every app, the inboxes and the operators' tools match these names case for case.
  it('spells the headers of a message and of a dead letter as the wire contract does', () => {
    expect(MESSAGE_HEADERS).toEqual([
      'Nats-Msg-Id',
      'message-type',
      'message-version',
      'correlation-id',
      'causation-id',
      'traceparent',
    ]);
    expect(Header.ReplayOf).toBe('replay-of');
    expect(DeadLetterHeader).toEqual({
      Reason: 'dead-letter-reason',
      Consumer: 'dead-letter-consumer',
      Subject: 'dead-letter-subject',
      MessageId: 'dead-letter-message-id',
      Deliveries: 'dead-letter-deliveries',
      StreamSequence: 'dead-letter-stream-sequence',
      BodyLeftOut: 'dead-letter-body-left-out',
    });
  });
});

describe(`${readMessageHeaders.name}, correlation ids`, () => {
  it('takes a correlation id only when the whole of it is a UUID, in either case', () => {
    const verdicts = [
      orderId,
      orderId.toUpperCase(),
      `x${orderId}`,
      `${orderId}x`,
      orderId.replace('4a1e8f0e', '4a1e8f0g'),
      orderId.replaceAll('-', ''),
      orderId.replace('-', '--'),
    ].map(
      (correlationId) =>
        readMessageHeaders(
          { [Header.MessageId]: 'm-1', [Header.CorrelationId]: correlationId },
          ProcessPayment,
          ProcessPayment.subject,
        ).ok,
    );
    expect(verdicts).toEqual([true, true, false, false, false, false, false]);
  });

  it('keeps the causation id and the trace context a message came with', () => {
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    const read = readMessageHeaders(
      {
        [Header.MessageId]: 'm-1',
        [Header.CorrelationId]: orderId,
        [Header.MessageType]: 'ProcessPayment',
        [Header.CausationId]: 'request-9',
        [Header.TraceParent]: traceparent,
      },
      ProcessPayment,
      ProcessPayment.subject,
    );
    expect(read.ok && read.metadata).toEqual({
      messageId: 'm-1',
      messageType: 'ProcessPayment',
      // No message-version header: a message from before versions, version 1.
      messageVersion: 1,
      correlationId: orderId,
      causationId: 'request-9',
      traceparent,
    });
  });
});
