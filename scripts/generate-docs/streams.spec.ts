import { describe, expect, it } from 'vitest';
import { humanDuration, streamStoring, subjectMatches } from './streams.js';

describe('streams', () => {
  it('matches subjects the way NATS does', () => {
    expect(subjectMatches('cmd.>', 'cmd.payments.ProcessPayment')).toBe(true);
    expect(subjectMatches('cmd.>', 'cmd')).toBe(false);
    expect(subjectMatches('cmd.*.ShipOrder', 'cmd.shipping.ShipOrder')).toBe(true);
    expect(subjectMatches('cmd.*', 'cmd.shipping.ShipOrder')).toBe(false);
    expect(subjectMatches('evt.>', 'cmd.payments.ProcessPayment')).toBe(false);
  });

  it('finds the one stream of a subject and refuses a subject no stream stores', () => {
    expect(streamStoring('dlq.orders.PaymentCompleted').name).toBe('DEADLETTERS');
    expect(() => streamStoring('audit.orders.Viewed')).toThrow(/exactly one stream, found 0/);
  });

  it('says durations in the largest whole unit', () => {
    expect(humanDuration(120_000)).toBe('2 minutes');
    expect(humanDuration(604_800_000)).toBe('7 days');
    expect(humanDuration(1_000)).toBe('1 second');
    expect(humanDuration(1_500)).toBe('1500 ms');
  });
});
