import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const SHIPPING_APP = 'shipping';

const countryList = z
  .string()
  .default('US,CA,GB,DE,FR,NL,JP,AU')
  .transform((value) =>
    value
      .split(',')
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2 codes, comma-separated')).min(1));

export const shippingEnvironment = platformEnvironment(SHIPPING_APP, 3003).extend({
  ...customerAuthEnvironment,
  /** Where shipping delivers; a shipment anywhere else fails (a deterministic rule for tests). */
  SHIPPING_COUNTRIES: countryList,
  /** Simulated carrier latency per message. */
  SHIPPING_PROVIDER_LATENCY_MS: z.coerce.number().int().nonnegative().default(0),
});

export type ShippingConfig = z.infer<typeof shippingEnvironment>;

export function readShippingConfig(env: NodeJS.ProcessEnv = process.env): ShippingConfig {
  return readEnvironment(shippingEnvironment, env);
}

export const SHIPPING_CONFIG = Symbol('SHIPPING_CONFIG');
