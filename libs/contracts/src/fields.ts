import { z } from 'zod';

/** Field shapes shared by several messages. Unknown fields are rejected everywhere. */
export const id = z.uuid();
export const minorUnits = z.number().int().nonnegative();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"');
export const reason = z.string().min(1).max(500);

export const address = z.strictObject({
  line1: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as "DE"'),
});
export type Address = z.infer<typeof address>;

export const quantity = z.number().int().min(1).max(1000);
export const sku = z.string().min(1).max(64);
