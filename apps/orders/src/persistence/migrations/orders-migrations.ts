import { OrdersTables1764300000000 } from './1764300000000-orders-tables.migration.js';
import { RefundAttempts1767000000000 } from './1767000000000-refund-attempts.migration.js';
import { CancellationAnnounced1767100000000 } from './1767100000000-cancellation-announced.migration.js';

/** The orders schema, oldest first. */
export const ordersMigrations = [
  OrdersTables1764300000000,
  RefundAttempts1767000000000,
  CancellationAnnounced1767100000000,
];
