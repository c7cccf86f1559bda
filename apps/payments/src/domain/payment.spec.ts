import { describe, expect, it } from 'vitest';
import { decideCharge } from './payment.js';

describe(decideCharge.name, () => {
  it('approves a payment at the limit', () => {
    expect(decideCharge(100_000, 100_000)).toEqual({ approved: true });
  });

  it('declines a payment above the limit, saying why', () => {
    expect(decideCharge(100_001, 100_000)).toEqual({
      approved: false,
      reason: 'amount 100001 is above the limit of 100000',
    });
  });
});
