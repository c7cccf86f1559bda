import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PIPELINED_CONNECTIONS, transactionsOn, type TransactionsOptions } from '@app/transactions';
import { TestDatabase } from './test-database.js';

/** A test database of its own, migrated, with a TypeORM data source on it, connected as the apps are. */
export class MigratedDatabase {
  private constructor(
    readonly database: TestDatabase,
    readonly dataSource: DataSource,
  ) {}

  static async create(
    prefix: string,
    schema: Pick<DataSourceOptions, 'entities' | 'migrations'>,
  ): Promise<MigratedDatabase> {
    const database = await TestDatabase.create(prefix);
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      extra: PIPELINED_CONNECTIONS,
      ...schema,
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    return new MigratedDatabase(database, dataSource);
  }

  /** Transaction boundaries and the unit of work on this database, as an app has them. */
  transactions(options?: TransactionsOptions) {
    return transactionsOn(this.dataSource, options);
  }

  async dispose(): Promise<void> {
    await this.dataSource.destroy();
    await this.database.drop();
  }
}
