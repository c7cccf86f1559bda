import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  }
}
