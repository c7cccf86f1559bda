import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageCause } from './message-cause.js';
import { inPgTransaction, poolOf } from './pg-transaction.js';

interface Unit {
  readonly client: pg.PoolClient;
  /** Made on first use: most units never need TypeORM. */
  manager: EntityManager | undefined;
  readonly cause: MessageCause | undefined;
  readonly beforeCommit: Array<() => Promise<void>>;
  readonly afterCommit: Array<() => void>;
}

/** The transaction's own connection, for the statements worth preparing once per connection. */
export type TransactionConnection = Pick<pg.ClientBase, 'query'>;

/**
 * One database transaction around a piece of work, reachable from anywhere in
 * that work (handlers, repositories, the outbox) without passing it around.
 * This is what makes a state change and the messages it records atomic.
 *
 * The transaction runs on a connection taken straight from TypeORM's pool:
 * BEGIN and COMMIT cost one round trip each and nothing more, which matters
 * as every message handled is a transaction. TypeORM joins it only when
 * asked for the manager.
 */
@Injectable()
export class UnitOfWork {
  private readonly current = new AsyncLocalStorage<Unit>();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction, or inside the one already open. */
  async run<T>(work: () => Promise<T>, cause?: MessageCause): Promise<T> {
    if (this.current.getStore()) return work();
    const afterCommit: Array<() => void> = [];
    const result = await inSpan(
      'transaction',
      { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
      () => this.transaction(work, cause, afterCommit),
    );
    for (const callback of afterCommit) callback();
    return result;
  }

  get isActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Inside `run`, the transaction's manager; outside, the shared one (reads that need no transaction). */
  get currentOrSharedManager(): EntityManager {
    const unit = this.current.getStore();
    return unit ? this.managerOf(unit) : this.dataSource.manager;
  }

  /** The transaction's entity manager; only inside `run`. */
  get manager(): EntityManager {
    return this.managerOf(this.unit());
  }

  get cause(): MessageCause | undefined {
    return this.unit().cause;
  }

  /** The transaction's pg connection (the one the manager uses). */
  async connection(): Promise<TransactionConnection> {
    return this.unit().client;
  }

  /** Lives as long as the transaction: a key for what the work gathers until it commits. */
  get scope(): object {
    return this.unit();
  }

  /** Runs at the end of the work, inside the transaction: the last writes (the outbox's). */
  beforeCommit(callback: () => Promise<void>): void {
    this.unit().beforeCommit.push(callback);
  }

  /** Runs once the transaction has committed, never if it rolls back. */
  afterCommit(callback: () => void): void {
    this.unit().afterCommit.push(callback);
  }

  private transaction<T>(
    work: () => Promise<T>,
    cause: MessageCause | undefined,
    afterCommit: Array<() => void>,
  ): Promise<T> {
    return inPgTransaction(poolOf(this.dataSource), (client) => {
      const unit: Unit = { client, manager: undefined, cause, beforeCommit: [], afterCommit };
      return this.current.run(unit, async () => {
        const value = await work();
        for (const callback of unit.beforeCommit) await callback();
        return value;
      });
    });
  }

  private managerOf(unit: Unit): EntityManager {
    if (!unit.manager) {
      const runner = this.dataSource.createQueryRunner();
      // TypeORM cannot adopt a connection it did not open: give its runner this
      // transaction's, already inside a transaction (nested ones become savepoints).
      // It never releases it: it holds no release callback.
      Object.assign(runner, {
        databaseConnection: unit.client,
        isTransactionActive: true,
        transactionDepth: 1,
      });
      unit.manager = runner.manager;
    }
    return unit.manager;
  }

  private unit(): Unit {
    const unit = this.current.getStore();
    if (!unit) throw new Error('No unit of work is open: wrap the work in UnitOfWork.run()');
    return unit;
  }
}
