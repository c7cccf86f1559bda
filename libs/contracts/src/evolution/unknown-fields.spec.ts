import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withUnknownFields } from './unknown-fields.js';

const order = z.strictObject({
  items: z.array(z.strictObject({ sku: z.string() })).min(1),
  address: z.strictObject({ city: z.string() }).optional(),
  extras: z.looseObject({}),
});
const newer = {
  items: [{ sku: 'A', colour: 'red' }],
  address: { city: 'Berlin', floor: 3 },
  extras: { anything: true },
  coupon: 'X',
};

describe(withUnknownFields.name, () => {
  it('strips unknown fields from every object, however deep, and keeps what accepts any field', () => {
    expect(withUnknownFields(order, 'strip').parse(newer)).toEqual({
      items: [{ sku: 'A' }],
      address: { city: 'Berlin' },
      extras: { anything: true },
    });
  });

  it('rejects unknown fields of every object, naming each path', () => {
    const lenient = z.object({ items: z.array(z.object({ sku: z.string() })) });
    const parsed = withUnknownFields(lenient, 'reject').safeParse({
      items: [{ sku: 'A', colour: 'red' }],
      coupon: 'X',
    });

    expect(parsed.error?.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['unrecognized_keys', ['items', 0]],
      ['unrecognized_keys', []],
    ]);
  });

  it('keeps the checks and the defaults, a computed default computed at each parse', () => {
    let drawn = 0;
    const withDefault = z.strictObject({ id: z.number().default(() => ++drawn) });
    const tolerant = withUnknownFields(withDefault, 'strip');

    expect(tolerant.parse({})).toEqual({ id: 1 });
    expect(tolerant.parse({ other: 1 })).toEqual({ id: 2 });
    expect(withUnknownFields(order, 'strip').safeParse({ ...newer, items: [] }).success).toBe(
      false,
    );
  });

  it('reshapes each option of a union, and keeps a description for the documents', () => {
    const card = z.strictObject({ kind: z.literal('card'), last4: z.string() });
    const transfer = z.strictObject({ kind: z.literal('transfer'), iban: z.string() });
    const payment = z.union([card, transfer]).describe('how it was paid');
    const tolerant = withUnknownFields(payment, 'strip');

    expect(tolerant.parse({ kind: 'transfer', iban: 'DE00', bic: 'X' })).toEqual({
      kind: 'transfer',
      iban: 'DE00',
    });
    expect(tolerant.description).toBe('how it was paid');
  });
});
