import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the order's OrderCancelled went out: a late charge's refund, parked
 * and then made, ends the order without telling the customer a second time.
 */
export class CancellationAnnounced1767100000000 implements MigrationInterface {
  name = 'CancellationAnnounced1767100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE orders ADD COLUMN cancellation_announced boolean NOT NULL DEFAULT false',
    );
    // Every order cancelled so far was cancelled with its OrderCancelled.
    await runner.query(
      `UPDATE orders SET cancellation_announced = true WHERE status = 'CANCELLED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE orders DROP COLUMN cancellation_announced');
  }
}
