import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';
import type { SagaTimeouts } from './domain/order-saga.js';

export const ORDERS_APP = 'orders';

const milliseconds = z.coerce.number().int().positive();

export const ordersEnvironment = platformEnvironment(ORDERS_APP, 3001).extend({
  ...customerAuthEnvironment,
  /** A PENDING order is cancelled ('payment timeout') after this long. */
  ORDERS_PAYMENT_TIMEOUT_MS: milliseconds.default(600_000),
  /** A PAID order is refunded and cancelled after this long. */
  ORDERS_SHIPPING_TIMEOUT_MS: milliseconds.default(600_000),
  /** A REFUNDING order sends RefundPayment again when no PaymentRefunded came back after this long. */
  ORDERS_REFUND_TIMEOUT_MS: milliseconds.default(600_000),
  /** RefundPayment is sent at most this many times (the first included); then the order is parked. */
  ORDERS_REFUND_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
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

/** How long each waiting state of the saga waits. */
export function sagaTimeouts(config: OrdersConfig): SagaTimeouts {
  return {
    paymentTimeoutMs: config.ORDERS_PAYMENT_TIMEOUT_MS,
    shippingTimeoutMs: config.ORDERS_SHIPPING_TIMEOUT_MS,
    refundTimeoutMs: config.ORDERS_REFUND_TIMEOUT_MS,
  };
}
