import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, messagingMigrations } from '@app/messaging';
import { PIPELINED_CONNECTIONS, TransactionsModule } from '@app/transactions';
import type { MigrationInterface } from 'typeorm';
import { messagingOptions, transactionsOptions, type PlatformEnvironment } from './environment.js';
import { DependencyChecks } from './health/dependency-checks.js';
import { HealthController } from './health/health.controller.js';
import { MigrateOnStart } from './migrate-on-start.js';
import { DependencyGauges } from './telemetry/dependency-gauges.js';
import { MessagingGauges } from './telemetry/messaging-gauges.js';

type EntityClass = new () => object;
type MigrationClass = new () => MigrationInterface;

export interface PlatformModuleOptions {
  readonly app: string;
  readonly env: PlatformEnvironment;
  readonly entities?: EntityClass[];
  readonly migrations?: MigrationClass[];
}

/**
 * Session settings of every connection: no statement runs, or waits for a
 * lock, past its bound, and a transaction its app stopped driving (a stalled
 * process) does not hold its locks for long. Migrations lift the first two.
 */
function statementLimits(env: PlatformEnvironment) {
  return {
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    lock_timeout: env.DATABASE_LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: 4 * env.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

/**
 * What every app stands on: its database (migrated at start) and its
 * transactions, messaging, health; the operator's endpoints are on the admin port (AdminModule).
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const messaging = MessagingModule.forRoot(messagingOptions(options.app, options.env));
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.env.DATABASE_URL,
          entities: options.entities ?? [],
          migrations: [...messagingMigrations, ...(options.migrations ?? [])],
          // Run by MigrateOnStart, under a lock.
          migrationsRun: false,
          // Schema changes are migrations, never synchronize.
          synchronize: false,
          retryAttempts: 2,
          retryDelay: 1_000,
          extra: {
            max: options.env.DATABASE_POOL_SIZE,
            ...PIPELINED_CONNECTIONS,
            ...statementLimits(options.env),
          },
        }),
        TransactionsModule.forRoot(transactionsOptions(options.env)),
        messaging,
      ],
      controllers: [HealthController],
      providers: [MigrateOnStart, MessagingGauges, DependencyChecks, DependencyGauges],
      exports: [messaging],
    };
  }
}
