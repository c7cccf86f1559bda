import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TransactionalHandlers } from './transactional.js';
import { Transactions } from './transactions.js';
import type { DataSource } from 'typeorm';
import {
  TRANSACTIONS_OPTIONS,
  transactionsDefaults,
  type TransactionsOptions,
} from './transactions.options.js';
import { TransactionScope } from './transaction-scope.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * Database transactions for one app, on its TypeORM data source's pool:
 * boundaries (`Transactions`, `@Transactional`) and the work's view of the
 * open one (`UnitOfWork`). Global: every module's repositories use it.
 */
@Module({})
export class TransactionsModule {
  static forRoot(options: TransactionsOptions): DynamicModule {
    return {
      module: TransactionsModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: TRANSACTIONS_OPTIONS, useValue: options },
        TransactionScope,
        Transactions,
        UnitOfWork,
        TransactionalHandlers,
      ],
      exports: [Transactions, UnitOfWork],
    };
  }
}

/** The same pair outside Nest (tests, scripts), sharing one scope as the module's do. */
export function transactionsOn(
  dataSource: DataSource,
  options: TransactionsOptions = transactionsDefaults,
): { transactions: Transactions; unitOfWork: UnitOfWork } {
  const scope = new TransactionScope();
  return {
    transactions: new Transactions(dataSource, scope, options),
    unitOfWork: new UnitOfWork(scope),
  };
}
