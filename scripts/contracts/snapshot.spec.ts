import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand, pastVersion } from '@app/contracts';
import { messageSnapshot } from './snapshot.js';

describe('a message as the contracts check records it', () => {
  it('has every version consumers read, its fields flattened with type, requirement and enum values', () => {
    const v1 = z.strictObject({ orderId: z.uuid(), amount: z.number().int() });
    const ChargeCard = defineCommand(
      'payments',
      'ChargeCard',
      z.strictObject({
        orderId: z.uuid(),
        price: z.strictObject({ amount: z.number().int(), currency: z.enum(['EUR', 'USD']) }),
        lines: z.array(z.strictObject({ sku: z.string() })).optional(),
        note: z.string().default(''),
      }),
      {
        version: 2,
        past: [
          pastVersion(1, v1, ({ orderId, amount }) => ({
            orderId,
            price: { amount, currency: 'EUR' as const },
          })),
        ],
      },
    );

    const snapshot = messageSnapshot(ChargeCard);

    expect(snapshot).toMatchObject({ kind: 'command', sends: 2, receivers: ['payments'] });
    expect(snapshot.versions).toEqual({
      '1': {
        orderId: { type: 'string:uuid', required: true },
        amount: { type: 'integer', required: true },
      },
      '2': {
        orderId: { type: 'string:uuid', required: true },
        price: { type: 'object', required: true },
        'price.amount': { type: 'integer', required: true },
        'price.currency': { type: 'string', required: true, enum: ['EUR', 'USD'] },
        lines: { type: 'array', required: false },
        'lines[].sku': { type: 'string', required: true },
        note: { type: 'string', required: false },
      },
    });
  });
});
