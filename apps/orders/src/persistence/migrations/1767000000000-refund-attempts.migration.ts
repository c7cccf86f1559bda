import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Refunds are retried a bounded number of times: the order counts them. */
export class RefundAttempts1767000000000 implements MigrationInterface {
  name = 'RefundAttempts1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Orders already REFUNDING sent their RefundPayment once.
    await runner.query(
      'ALTER TABLE orders ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0 CHECK (refund_attempts >= 0)',
    );
    await runner.query(`UPDATE orders SET refund_attempts = 1 WHERE status = 'REFUNDING'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE orders DROP COLUMN refund_attempts');
  }
}
