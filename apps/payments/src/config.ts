import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const PAYMENTS_APP = 'payments';

export const paymentsEnvironment = platformEnvironment(PAYMENTS_APP, 3002).extend({
  ...customerAuthEnvironment,
  /** Payments above this amount (minor units) are declined: a deterministic rule for tests. */
  PAYMENTS_DECLINE_ABOVE: z.coerce.number().int().nonnegative().default(100_000),
  /** Simulated payment provider latency per message. */
  PAYMENTS_PROVIDER_LATENCY_MS: z.coerce.number().int().nonnegative().default(0),
});

export type PaymentsConfig = z.infer<typeof paymentsEnvironment>;

export function readPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  return readEnvironment(paymentsEnvironment, env);
}

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');
