import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageCause } from './message-cause.js';

interface Unit {
  readonly manager: EntityManager;
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
      () =>
        this.dataSource.transaction((manager) => {
          const unit: Unit = { manager, cause, beforeCommit: [], afterCommit };
          return this.current.run(unit, async () => {
            const value = await work();
            for (const callback of unit.beforeCommit) await callback();
            return value;
          });
        }),
    );
    for (const callback of afterCommit) callback();
    return result;
  }

  get isActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Inside `run`, the transaction's manager; outside, the shared one (reads that need no transaction). */
  get currentOrSharedManager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  /** The transaction's entity manager; only inside `run`. */
  get manager(): EntityManager {
    return this.unit().manager;
  }

  get cause(): MessageCause | undefined {
    return this.unit().cause;
  }

  /** The transaction's pg connection (the one the manager uses). */
  async connection(): Promise<TransactionConnection> {
    const runner = this.unit().manager.queryRunner;
    if (!runner) throw new Error('the unit of work has no query runner');
    return (await runner.connect()) as TransactionConnection;
  }

  /** Runs at the end of the work, inside the transaction: the last writes (the outbox's). */
  beforeCommit(callback: () => Promise<void>): void {
    this.unit().beforeCommit.push(callback);
  }

  /** Runs once the transaction has committed, never if it rolls back. */
  afterCommit(callback: () => void): void {
    this.unit().afterCommit.push(callback);
  }

  private unit(): Unit {
    const unit = this.current.getStore();
    if (!unit) throw new Error('No unit of work is open: wrap the work in UnitOfWork.run()');
    return unit;
  }
}
