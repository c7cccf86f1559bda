import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ShippingTables1764300200000 implements MigrationInterface {
  name = 'ShippingTables1764300200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        customer_id uuid NOT NULL,
        status text NOT NULL,
        items jsonb NOT NULL,
        address jsonb NOT NULL,
        tracking_number text,
        failure_reason text,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE shipments');
  }
}
