import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProbeTables1764201700000 implements MigrationInterface {
  name = 'ProbeTables1764201700000';

  async up(runner: QueryRunner): Promise<void> {
    // No unique keys on purpose: a second effect must be visible, not prevented here.
    await runner.query(
      `CREATE TABLE probe_effects (message_id text NOT NULL, probe_id uuid NOT NULL, message_type text NOT NULL, replica text NOT NULL, handled_at timestamptz NOT NULL DEFAULT now())`,
    );
    await runner.query(
      `CREATE TABLE probe_attempts (message_id text NOT NULL, probe_id uuid NOT NULL, replica text NOT NULL, attempt int NOT NULL)`,
    );
    await runner.query(`CREATE TABLE probe_breakages (probe_id uuid PRIMARY KEY)`);
    await runner.query(
      `CREATE TABLE probe_records (id uuid PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE probe_records');
    await runner.query('DROP TABLE probe_breakages');
    await runner.query('DROP TABLE probe_attempts');
    await runner.query('DROP TABLE probe_effects');
  }
}
