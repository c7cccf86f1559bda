import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A shipment that went out for a cancelled order is recalled: why, and when. */
export class ShipmentRecalls1767000200000 implements MigrationInterface {
  name = 'ShipmentRecalls1767000200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE shipments ADD COLUMN recall_reason text, ADD COLUMN recalled_at timestamptz',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE shipments DROP COLUMN recall_reason, DROP COLUMN recalled_at');
  }
}
