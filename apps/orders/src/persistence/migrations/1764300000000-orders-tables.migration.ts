import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersTables1764300000000 implements MigrationInterface {
  name = 'OrdersTables1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        customer_id uuid NOT NULL,
        status text NOT NULL,
        currency char(3) NOT NULL,
        total bigint NOT NULL CHECK (total >= 0),
        items jsonb NOT NULL,
        address jsonb NOT NULL,
        payment_id uuid,
        shipment_id uuid,
        tracking_number text,
        cancel_reason text,
        deadline_at timestamptz,
        idempotency_key text UNIQUE,
        request_hash text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX orders_customer_seq ON orders (customer_id, seq DESC)');
    await runner.query('CREATE INDEX orders_status_seq ON orders (status, seq DESC)');
    // Only orders that wait for something: what the deadline sweeper scans.
    await runner.query(
      'CREATE INDEX orders_deadline ON orders (deadline_at) WHERE deadline_at IS NOT NULL',
    );
    await runner.query(`
      CREATE TABLE order_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id),
        from_status text,
        to_status text,
        message_type text NOT NULL,
        message_id text NOT NULL,
        ignored boolean NOT NULL DEFAULT false,
        note text,
        at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX order_history_order ON order_history (order_id, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE order_history');
    await runner.query('DROP TABLE orders');
  }
}
