import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { BatchedWrite } from './batched-write.js';
import type { ReadAhead } from './read-ahead.js';
import type { Transaction } from './transaction.js';
import { TransactionScope } from './transaction-scope.js';
import type { WorkCause } from './work-cause.js';

/** What a handler needs of its transaction: something to do once it has committed. */
export interface AfterCommit {
  afterCommit(callback: () => void): void;
}

/**
 * The open transaction, as the work inside it sees it: what repositories and
 * the outbox need to read and write in it. Transactions open at the boundary
 * (`Transactions`, `@Transactional`); outside one, every member but
 * `cause` throws.
 */
@Injectable()
export class UnitOfWork implements AfterCommit {
  constructor(private readonly scope: TransactionScope) {}

  /** What caused the work; undefined outside a transaction. */
  get cause(): WorkCause | undefined {
    return this.scope.unit?.cause;
  }

  /** Runs a statement now, in the transaction. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    query: pg.QueryConfig,
  ): Promise<pg.QueryResult<R>> {
    return this.transaction().client.query<R>(query);
  }

  /** Adds a row to the transaction's batch of `write`, written with its COMMIT. */
  write<Row>(write: BatchedWrite<Row>, row: Row): void {
    const { batches } = this.transaction();
    const rows = batches.get(write);
    if (rows) rows.push(row);
    else batches.set(write, [row]);
  }

  /**
   * The rows of `read` for `correlationId`, and for every other piece of work
   * in the transaction not read yet, in one statement: those read ahead with
   * the transaction's first statements the first time, then only the ids not
   * covered yet. Rows are given once per transaction; an id already covered
   * gives none.
   */
  async read<Row extends pg.QueryResultRow>(
    read: ReadAhead<Row>,
    correlationId: string,
  ): Promise<Row[]> {
    const transaction = this.transaction();
    this.scope.readsAhead.add(read);
    let state = transaction.reads.get(read);
    if (!state) {
      state = { sent: undefined, covered: new Set() };
      transaction.reads.set(read, state);
    }
    const rows: Row[] = [];
    if (state.sent) {
      const sent = state.sent;
      state.sent = undefined;
      rows.push(...((await sent).rows as Row[]));
    }
    if (state.covered.has(correlationId)) return rows;
    const ids = [...new Set([correlationId, ...transaction.correlationIds])]
      .filter((id) => !state.covered.has(id))
      .sort();
    for (const id of ids) state.covered.add(id);
    const { rows: more } = await transaction.client.query<Row>(read.query(ids));
    return rows.concat(more);
  }

  /** What `owner` keeps for the length of the transaction, made by `create` on first use. */
  kept<T>(owner: object, create: () => T): T {
    const { kept } = this.transaction();
    if (kept.has(owner)) return kept.get(owner) as T;
    const value = create();
    kept.set(owner, value);
    return value;
  }

  /** Runs once the transaction has committed, never if it rolls back. */
  afterCommit(callback: () => void): void {
    this.transaction().afterCommit.push(callback);
  }

  private transaction(): Transaction {
    const unit = this.scope.unit;
    if (!unit)
      throw new Error('no transaction is open: the work must start at a transaction boundary');
    return unit.transaction;
  }
}
