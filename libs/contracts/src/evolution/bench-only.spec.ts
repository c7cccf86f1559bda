import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProcessPayment } from '../payments/process-payment.command.js';

const payment = {
  orderId: '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a',
  customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  amount: 1999,
  currency: 'EUR',
};

async function payloadModule(skip: string | undefined) {
  vi.resetModules();
  vi.stubEnv('BENCH_ONLY_SKIP_MESSAGE_VALIDATION', skip);
  return import('./payload.js');
}

describe('the bench-only switch that skips message validation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('lets a producer send, and a consumer read, a body its schema would refuse', async () => {
    const { readPayload, writePayload } = await payloadModule('1');
    const outside = { ...payment, loyaltyTier: 'gold' };

    expect(writePayload(ProcessPayment, outside)).toBe(outside);
    expect(readPayload(ProcessPayment, 1, outside)).toEqual({ ok: true, payload: outside });
    // Versions are still told apart: a newer one is not handed to this build.
    expect(readPayload(ProcessPayment, 2, payment)).toMatchObject({
      ok: false,
      newerVersion: true,
    });
  });

  it('checks as ever unless set to exactly 1', async () => {
    const { writePayload } = await payloadModule('true');
    const outside = { ...payment, loyaltyTier: 'gold' };

    expect(() => writePayload(ProcessPayment, outside)).toThrow(/loyaltyTier: not in the contract/);
  });
});
