import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageCause } from './message-cause.js';
import { GroupCommit } from './group-commit.js';
import { groupedJob, GroupedTransactions, type GroupedJob } from './grouped-transactions.js';
import { claimInInbox, type InboxEntry } from './inbox/inbox.js';
import {
  MESSAGING_OPTIONS,
  messagingDefaults,
  type MessagingOptions,
} from './messaging.options.js';
import {
  inTransaction,
  isPipelined,
  poolOf,
  withPoolConnection,
  type Statement,
} from './pg-transaction.js';
import { openTransaction, type Transaction } from './transaction.js';

/** One piece of work, and what caused it, inside its transaction. */
interface Unit {
  readonly transaction: Transaction;
  readonly cause: MessageCause | undefined;
}

/** The transaction's own connection, for the statements worth preparing once per connection. */
export type TransactionConnection = Pick<pg.ClientBase, 'query'>;

/**
 * One database transaction around a piece of work, reachable from anywhere in
 * that work (handlers, repositories, the outbox) without passing it around.
 * This is what makes a state change and the messages it records atomic.
 *
 * The transaction runs on a connection taken straight from TypeORM's pool:
 * BEGIN and COMMIT cost one round trip each and nothing more. TypeORM joins
 * it only when asked for the manager.
 */
@Injectable()
export class UnitOfWork {
  private readonly current = new AsyncLocalStorage<Unit>();
  private readonly groups: GroupCommit<GroupedJob>;
  private readonly readsAhead = new Map<object, (orders: readonly string[]) => pg.QueryConfig>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(MESSAGING_OPTIONS) options?: Partial<MessagingOptions>,
  ) {
    const grouped = new GroupedTransactions({
      pool: () => poolOf(this.dataSource),
      runIn: (transaction, cause, work) => this.runIn(transaction, cause, work),
      finish: (transaction) => this.finish(transaction),
      readAhead: (transaction) => this.sendReadsAhead(transaction),
    });
    this.groups = new GroupCommit(
      {
        lanes: options?.transactionLanes ?? messagingDefaults.transactionLanes,
        maxGroup: options?.transactionGroupSize ?? messagingDefaults.transactionGroupSize,
      },
      (take) => grouped.run(take),
    );
  }

  /** Runs `work` in a transaction of its own, or inside the one already open. */
  async run<T>(work: () => Promise<T>, cause?: MessageCause): Promise<T> {
    if (this.current.getStore()) return work();
    const committed = await inSpan(
      'transaction',
      { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
      () =>
        withPoolConnection(poolOf(this.dataSource), (client) => {
          const transaction = openTransaction(client, [cause]);
          return inTransaction(
            client,
            async () => ({ value: await this.runIn(transaction, cause, work), transaction }),
            () => this.finish(transaction),
          );
        }),
    );
    for (const callback of committed.transaction.afterCommit) callback();
    return committed.value;
  }

  /**
   * Runs `work` in a transaction it may share with work submitted meanwhile
   * (group commit), one piece after the other. The work must be safe to run
   * twice: when a shared transaction fails, it rolls back and each piece runs
   * again in a transaction of its own, so one piece's failure is never
   * another's. Its effects, like `run`'s, commit once or not at all. Messages
   * waiting for a transaction go ahead of it.
   */
  runGrouped<T>(work: () => Promise<T>, cause?: MessageCause): Promise<T> {
    if (this.current.getStore()) return work();
    return this.submit<T>(work, cause, undefined);
  }

  /**
   * Runs `work` for a message once per consumer: in the transaction that
   * records `entry` in the inbox, or not at all when an earlier transaction
   * did. True if it ran. `shared` lets the transaction serve other work too
   * (see `runGrouped`), whose messages are then claimed in one statement.
   */
  runOnce(
    entry: InboxEntry,
    work: () => Promise<void>,
    options: { readonly cause?: MessageCause; readonly shared: boolean },
  ): Promise<boolean> {
    if (options.shared && !this.current.getStore()) {
      return this.submit<boolean>(work, options.cause, entry);
    }
    return this.run(async () => {
      const { transaction } = this.unit();
      const claimed = claimInInbox(transaction.client, entry);
      this.sendReadsAhead(transaction);
      const first = await claimed;
      if (first) await work();
      return first;
    }, options.cause);
  }

  private submit<T>(
    work: () => Promise<unknown>,
    cause: MessageCause | undefined,
    entry: InboxEntry | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle: GroupedJob['settle'] = (outcome) =>
        'error' in outcome ? reject(outcome.error) : resolve(outcome.value as T);
      this.groups.submit(
        groupedJob(work, cause, entry, settle),
        // A message continues work already accepted; other work (a new order) waits behind it.
        entry ? 'ongoing' : 'incoming',
      );
    });
  }

  get isActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Inside `run`, the transaction's manager; outside, the shared one (reads that need no transaction). */
  get currentOrSharedManager(): EntityManager {
    const unit = this.current.getStore();
    return unit ? this.managerOf(unit.transaction) : this.dataSource.manager;
  }

  /** The transaction's entity manager; only inside `run`. */
  get manager(): EntityManager {
    return this.managerOf(this.unit().transaction);
  }

  get cause(): MessageCause | undefined {
    return this.unit().cause;
  }

  /** The transaction's pg connection (the one the manager uses). */
  async connection(): Promise<TransactionConnection> {
    return this.unit().transaction.client;
  }

  /**
   * The correlation ids (order ids) of all the work sharing this transaction:
   * what a repository may read or lock for all of it in one statement.
   */
  get correlationIds(): readonly string[] {
    return this.unit().transaction.correlationIds;
  }

  /**
   * What `owner` keeps for the length of this transaction, made by `create` on
   * first use: a copy of what it read, or writes it gathers. `write`, when
   * given, makes the statement that writes what was gathered (none when there
   * is nothing to write); it runs at the end of the transaction, inside it,
   * sent with COMMIT. Writes that nothing in the transaction reads back cost
   * one statement this way, however much work shares the transaction.
   */
  gathered<T>(owner: object, create: () => T, write?: (gathered: T) => Statement | undefined): T {
    const { kept, beforeCommit } = this.unit().transaction;
    if (kept.has(owner)) return kept.get(owner) as T;
    const gathered = create();
    kept.set(owner, gathered);
    if (write) beforeCommit.push(() => write(gathered));
    return gathered;
  }

  /**
   * A read that the work on a message will need, for the orders of all the
   * messages sharing its transaction: `read` makes it from their ids. It is
   * sent with BEGIN and the inbox claims, so it costs no round trip of its
   * own; `takeReadAhead` gives its result. Register it once, at construction.
   */
  readAhead(owner: object, read: (orders: readonly string[]) => pg.QueryConfig): void {
    this.readsAhead.set(owner, read);
  }

  /**
   * The result of `owner`'s read ahead in this transaction, the first time it
   * is asked for; undefined after that, or when none was sent (a transaction
   * that handles no message).
   */
  takeReadAhead<R extends pg.QueryResultRow>(
    owner: object,
  ): Promise<pg.QueryResult<R>> | undefined {
    const { readAhead } = this.unit().transaction;
    const result = readAhead.get(owner);
    readAhead.delete(owner);
    return result as Promise<pg.QueryResult<R>> | undefined;
  }

  /**
   * A last statement of the transaction, made once all its work is done and
   * sent with COMMIT. It must not be awaited inside the transaction: it has
   * not run yet. Its result, when it matters, goes to `answered`.
   */
  beforeCommit(statement: () => Statement | undefined): void {
    this.unit().transaction.beforeCommit.push(statement);
  }

  /** Runs once the transaction has committed, never if it rolls back. */
  afterCommit(callback: () => void): void {
    this.unit().transaction.afterCommit.push(callback);
  }

  private runIn<T>(
    transaction: Transaction,
    cause: MessageCause | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.current.run({ transaction, cause }, work);
  }

  /**
   * Sends the registered reads ahead, if the transaction serves any message
   * and its connection need not wait for the claims' answer to send them.
   */
  private sendReadsAhead(transaction: Transaction): void {
    if (transaction.correlationIds.length === 0 || !isPipelined(transaction.client)) return;
    const orders = [...new Set(transaction.correlationIds)].sort();
    for (const [owner, read] of this.readsAhead) {
      const result = transaction.client.query(read(orders));
      // Taken, or not, by the work; if it failed, so does every statement after it.
      result.catch(() => undefined);
      transaction.readAhead.set(owner, result);
    }
  }

  /** The last writes gathered by the work, to be sent with COMMIT. */
  private finish(transaction: Transaction): Statement[] {
    return transaction.beforeCommit.flatMap((statement) => statement() ?? []);
  }

  private managerOf(transaction: Transaction): EntityManager {
    if (!transaction.manager) {
      const runner = this.dataSource.createQueryRunner();
      // TypeORM cannot adopt a connection it did not open: give its runner this
      // transaction's, already inside a transaction (nested ones become savepoints).
      // It never releases it: it holds no release callback.
      Object.assign(runner, {
        databaseConnection: transaction.client,
        isTransactionActive: true,
        transactionDepth: 1,
      });
      transaction.manager = runner.manager;
    }
    return transaction.manager;
  }

  private unit(): Unit {
    const unit = this.current.getStore();
    if (!unit) throw new Error('No unit of work is open: wrap the work in UnitOfWork.run()');
    return unit;
  }
}
