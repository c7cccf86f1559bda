import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

// Any constant works: each app has a database of its own.
const MIGRATION_LOCK = 7_264_201_600;

/**
 * Runs the migrations at start-up, one replica at a time: replicas starting
 * together on an empty database would otherwise race to create the same tables.
 */
@Injectable()
export class MigrateOnStart implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      // A migration may rewrite a large table or wait for its lock as long as
      // it takes: the statement and lock bounds of every other connection are
      // lifted on this one, which runs them.
      await lock.query('SET statement_timeout = 0');
      await lock.query('SET lock_timeout = 0');
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const migrations = new MigrationExecutor(this.dataSource, lock);
      migrations.transaction = 'each';
      await migrations.executePendingMigrations();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
      await lock.release();
    }
  }
}
