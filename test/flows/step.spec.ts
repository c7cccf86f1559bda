import { describe, expect, it } from 'vitest';
import { step, StepNotReached } from './step.js';

describe(step.name, () => {
  it('answers what the probe answers once the step happened', async () => {
    let calls = 0;
    const value = await step(
      'paid',
      1_000,
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('still PENDING');
        return 'PAID';
      },
      1,
    );
    expect(value).toBe('PAID');
    expect(calls).toBe(3);
  });

  it('fails naming the step, its bound and the last thing seen', async () => {
    const failure = step(
      'order shipped',
      200,
      async () => {
        throw new Error('order 42 is PAID');
      },
      5,
    );
    await expect(failure).rejects.toBeInstanceOf(StepNotReached);
    await expect(failure).rejects.toThrow(
      'step "order shipped" did not happen within 0.2 s; last seen: order 42 is PAID',
    );
  });
});
