import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ShipOrder } from '@app/contracts';
import { jsonSchemaOf, payloadSchema } from './payload-schema.js';
import { fieldRows } from './schema-fields.js';

describe(fieldRows.name, () => {
  it('flattens nested objects and arrays of objects, with their limits', () => {
    const rows = fieldRows(payloadSchema(ShipOrder));
    expect(rows.map((row) => `${row.path}: ${row.type}`)).toEqual([
      'orderId: uuid',
      'customerId: uuid',
      'items: array of objects, 1–100 items',
      'items[].sku: string, 1–64 chars',
      'items[].quantity: integer, 1–1000',
      'address: object',
      'address.line1: string, 1–200 chars',
      'address.city: string, 1–100 chars',
      'address.postalCode: string, 1–20 chars',
      'address.country: string `/^[A-Z]{2}$/`',
    ]);
    expect(rows.every((row) => row.required)).toBe(true);
  });

  it('says what a field left out defaults to', () => {
    const schema = jsonSchemaOf(
      z.strictObject({ channel: z.enum(['email', 'sms']).default('email'), note: z.string() }),
    );
    expect(fieldRows(schema)).toEqual([
      { path: 'channel', type: '"email" \\| "sms"; default "email"', required: false },
      { path: 'note', type: 'string', required: true },
    ]);
  });
});
