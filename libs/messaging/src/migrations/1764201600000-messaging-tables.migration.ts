import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessagingTables1764201600000 implements MigrationInterface {
  name = 'MessagingTables1764201600000';

  async up(runner: QueryRunner): Promise<void> {
    // position keeps publication in commit-ish order; id is the Nats-Msg-Id.
    await runner.query(`
      CREATE TABLE outbox (
        position bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        subject text NOT NULL,
        headers jsonb NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        message_id text NOT NULL,
        message_type text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox');
    await runner.query('DROP TABLE outbox');
  }
}
