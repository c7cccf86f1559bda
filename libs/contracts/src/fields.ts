import { z } from 'zod';

/**
 * Field shapes shared by several messages. Objects are strict, as a producer
 * must be; consumers read them with unknown fields stripped (evolution/payload.ts).
 */
export const id = z.uuid();
export const minorUnits = z.number().int().nonnegative();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"');
/** Half of a UTF-16 surrogate pair without its other half: JSON carries it, UTF-8 cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Free text that PostgreSQL can store: no NUL character, and no lone
 * surrogate (text and jsonb refuse both), so neither may enter a message.
 */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !value.includes('\0'), 'must not contain the NUL character')
    .refine(
      (value) => !LONE_SURROGATE.test(value),
      'must be well-formed Unicode (a lone UTF-16 surrogate cannot be stored)',
    );
}

export const reason = text(1, 500);

export const address = z.strictObject({
  line1: text(1, 200),
  city: text(1, 100),
  postalCode: text(1, 20),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as "DE"'),
});
export type Address = z.infer<typeof address>;

export const quantity = z.number().int().min(1).max(1000);
export const sku = text(1, 64);
