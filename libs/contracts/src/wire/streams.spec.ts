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
