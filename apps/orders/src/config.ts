import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const ORDERS_APP = 'orders';

const milliseconds = z.coerce.number().int().positive();

export const ordersEnvironment = platformEnvironment(ORDERS_APP, 3001).extend({
  ...customerAuthEnvironment,
  /** A PENDING order is cancelled ('payment timeout') after this long. */
  ORDERS_PAYMENT_TIMEOUT_MS: milliseconds.default(600_000),
  /** A PAID order is refunded and cancelled after this long. */
  ORDERS_SHIPPING_TIMEOUT_MS: milliseconds.default(600_000),
  /** How often each replica looks for orders past their deadline. */
  ORDERS_DEADLINE_SWEEP_MS: milliseconds.default(1_000),
  /** POST /orders per client address and window, per replica; beyond it, 429. */
  ORDERS_RATE_LIMIT: z.coerce.number().int().positive().default(1_000),
  ORDERS_RATE_LIMIT_WINDOW_MS: milliseconds.default(1_000),
});

export type OrdersConfig = z.infer<typeof ordersEnvironment>;

/** Fails with one readable line (a ConfigurationError) when a setting is wrong. */
export function readOrdersConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  return readEnvironment(ordersEnvironment, env);
}

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
