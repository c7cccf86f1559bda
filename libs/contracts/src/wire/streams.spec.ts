import { describe, expect, it } from 'vitest';
import { OrderShipped } from '../shipping/order-shipped.event.js';
import { ProcessPayment } from '../payments/process-payment.command.js';
import { consumerName, deadLetterConsumerName, streamOf, streams } from './streams.js';

describe('streams', () => {
  it('stores commands, events and dead letters each in one stream of its own', () => {
    expect(streams.map((stream) => [stream.name, stream.subjects, stream.retention])).toEqual([
      ['COMMANDS', ['cmd.>'], 'workqueue'],
      ['EVENTS', ['evt.>'], 'limits'],
      ['DEADLETTERS', ['dlq.>'], 'workqueue'],
    ]);
    expect(streamOf(ProcessPayment)).toBe('COMMANDS');
    expect(streamOf(OrderShipped)).toBe('EVENTS');
  });

  it('names a consumer after the app that reads and the message it reads', () => {
    expect(consumerName('payments', ProcessPayment)).toBe('payments-ProcessPayment');
    expect(consumerName('notifications', OrderShipped)).toBe('notifications-OrderShipped');
    expect(deadLetterConsumerName('payments')).toBe('payments-dead-letters');
  });
});

describe('streams, their limits', () => {
  it('keeps every stream on disk, drops a re-publication within two minutes, events for a week and dead letters for 30 days', () => {
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
      { name: 'DEADLETTERS', storage: 'file', duplicateWindowMs: 120_000, maxAgeMs: 2_592_000_000 },
    ]);
  });

  it('keeps at most 1.5 GiB on disk by default, under the smallest volume it ships with (2 GiB)', () => {
    const total = streams.reduce((sum, stream) => sum + stream.maxBytes, 0);
    expect(total).toBe(1.5 * 1024 ** 3);
  });

  it('says what each stream is for', () => {
    for (const stream of streams) expect(stream.purpose.length).toBeGreaterThan(20);
  });
});
