import type { Flow } from './flow.js';
import { customerOrdersPaginated } from './flows/customer-orders.js';
import { customersSeeOnlyTheirOwn } from './flows/customer-privacy.js';
import {
  orderCompletes,
  orderDeclined,
  orderRefunded,
  paymentTimeout,
  shippingTimeout,
} from './flows/order-outcomes.js';
import {
  badInputRefused,
  idempotencyKeyReused,
  idempotentRetries,
} from './flows/placing-orders.js';

/** Every business flow, in the order they run and are reported. */
export const FLOWS: readonly Flow[] = [
  orderCompletes,
  orderDeclined,
  orderRefunded,
  idempotentRetries,
  idempotencyKeyReused,
  badInputRefused,
  customerOrdersPaginated,
  customersSeeOnlyTheirOwn,
  paymentTimeout,
  shippingTimeout,
];
