import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { ReadAhead } from './read-ahead.js';
import type { Transaction } from './transaction.js';
import type { WorkCause } from './work-cause.js';

/** One piece of work, and what caused it, inside its transaction. */
export interface Unit {
  readonly transaction: Transaction;
  readonly cause: WorkCause | undefined;
}

/**
 * The transaction of the work in progress, reachable from anywhere in that
 * work without passing it around: `Transactions` opens it, `UnitOfWork`
 * serves it to repositories.
 */
@Injectable()
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<Unit>();
  /** Every read ahead the work has asked for: sent with the first statements of the next transactions. */
  readonly readsAhead = new Set<ReadAhead<pg.QueryResultRow>>();

  get unit(): Unit | undefined {
    return this.storage.getStore();
  }

  runIn<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
    return this.storage.run(unit, work);
  }
}
