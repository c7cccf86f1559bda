import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsTables1764300300000 implements MigrationInterface {
  name = 'NotificationsTables1764300300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        message_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        order_id uuid NOT NULL,
        customer_id uuid,
        channel text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX notifications_order ON notifications (order_id, seq)');
    await runner.query('CREATE INDEX notifications_customer ON notifications (customer_id, seq)');
    await runner.query(`
      CREATE TABLE order_recipients (
        order_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE order_recipients');
    await runner.query('DROP TABLE notifications');
  }
}
