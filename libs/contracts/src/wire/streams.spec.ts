import { describe, expect, it } from 'vitest';
import { OrderShipped } from '../shipping/order-shipped.event.js';
import { ProcessPayment } from '../payments/process-payment.command.js';
import { consumerName, streamOf, streams } from './streams.js';

describe('streams', () => {
  it('stores commands, events and dead letters each in one stream of its own', () => {
    expect(streams.map((stream) => [stream.name, stream.subjects, stream.retention])).toEqual([
      ['COMMANDS', ['cmd.>'], 'workqueue'],
      ['EVENTS', ['evt.>'], 'limits'],
      ['DEADLETTERS', ['dlq.>'], 'limits'],
    ]);
    expect(streamOf(ProcessPayment)).toBe('COMMANDS');
    expect(streamOf(OrderShipped)).toBe('EVENTS');
  });

  it('names a consumer after the app that reads and the message it reads', () => {
    expect(consumerName('payments', ProcessPayment)).toBe('payments-ProcessPayment');
    expect(consumerName('notifications', OrderShipped)).toBe('notifications-OrderShipped');
  });
});

describe('streams, their limits', () => {
  it('keeps every stream on disk, drops a re-publication within two minutes, and events for a week', () => {
    expect(
      streams.map(({ name, storage, duplicateWindowMs, maxAgeMs }) => ({
        name,
        storage,
        duplicateWindowMs,
        maxAgeMs,
      })),
    ).toEqual([
      { name: 'COMMANDS', storage: 'file', duplicateWindowMs: 120_000, maxAgeMs: undefined },
      { name: 'EVENTS', storage: 'file', duplicateWindowMs: 120_000, maxAgeMs: 604_800_000 },
      { name: 'DEADLETTERS', storage: 'file', duplicateWindowMs: 120_000, maxAgeMs: undefined },
    ]);
  });

  it('says what each stream is for', () => {
    for (const stream of streams) expect(stream.purpose.length).toBeGreaterThan(20);
  });
});
