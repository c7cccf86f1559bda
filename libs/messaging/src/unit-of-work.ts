import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageCause } from './message-cause.js';
import { GroupCommit } from './group-commit.js';
import { claimAllInInbox, claimInInbox, type InboxEntry } from './inbox/inbox.js';
import {
  MESSAGING_OPTIONS,
  messagingDefaults,
  type MessagingOptions,
} from './messaging.options.js';
import {
  inPgTransaction,
  brokenBy,
  inTransaction,
  poolOf,
  withPoolConnection,
} from './pg-transaction.js';

/** One database transaction: it may serve several pieces of work (group commit). */
interface Transaction {
  readonly client: pg.ClientBase;
  /** Made on first use: most transactions never need TypeORM. */
  manager: EntityManager | undefined;
  readonly beforeCommit: Array<() => Promise<void>>;
  readonly afterCommit: Array<() => void>;
  /** Of every piece of work in it. */
  readonly correlationIds: readonly string[];
}

/** One piece of work, and what caused it, inside its transaction. */
interface Unit {
  readonly transaction: Transaction;
  readonly cause: MessageCause | undefined;
}

/** Work waiting for a transaction to take it. */
interface GroupedJob {
  readonly work: () => Promise<unknown>;
  /** When set, the work runs only if this transaction is the first to claim the entry. */
  readonly entry?: InboxEntry;
  readonly cause: MessageCause | undefined;
  /** Runs a function in the async context (trace, logs) of whoever submitted the work. */
  readonly inSubmitterContext: <R>(fn: () => R) => R;
  readonly settle: (outcome: { value: unknown } | { error: unknown }) => void;
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

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(MESSAGING_OPTIONS) options?: Partial<MessagingOptions>,
  ) {
    this.groups = new GroupCommit(
      {
        lanes: options?.transactionLanes ?? messagingDefaults.transactionLanes,
        maxGroup: options?.transactionGroupSize ?? messagingDefaults.transactionGroupSize,
      },
      (take) => this.runGroup(take),
    );
  }

  /** Runs `work` in a transaction of its own, or inside the one already open. */
  async run<T>(work: () => Promise<T>, cause?: MessageCause): Promise<T> {
    if (this.current.getStore()) return work();
    const committed = await inSpan(
      'transaction',
      { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
      () =>
        inPgTransaction(poolOf(this.dataSource), async (client) => {
          const transaction = openTransaction(client, [cause]);
          const value = await this.runIn(transaction, cause, work);
          await this.finish(transaction);
          return { value, transaction };
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
      const first = await claimInInbox(this.unit().transaction.client, entry);
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
      this.groups.submit(
        {
          work,
          entry,
          cause,
          inSubmitterContext: inContextOf(new AsyncResource('UnitOfWork.job')),
          settle: (outcome) =>
            'error' in outcome ? reject(outcome.error) : resolve(outcome.value as T),
        },
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

  /** Lives as long as the transaction: a key for what the work gathers until it commits. */
  get scope(): object {
    return this.unit().transaction;
  }

  /** Runs at the end of the transaction, inside it: the last writes (the outbox's). */
  beforeCommit(callback: () => Promise<void>): void {
    this.unit().transaction.beforeCommit.push(callback);
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
   * One transaction for the jobs `take` hands over once a connection is ready.
   * If it fails, each job runs again alone on the same connection, and only a
   * job that fails alone fails.
   */
  private async runGroup(take: () => GroupedJob[]): Promise<void> {
    let jobs: GroupedJob[] = [];
    try {
      await withPoolConnection(poolOf(this.dataSource), async (client) => {
        jobs = take();
        if (jobs.length > 1 && (await this.commitTogether(client, jobs))) return;
        for (const job of jobs) await this.commitAlone(client, job);
      });
    } catch (error) {
      // No connection (the database is down): every job taken fails as it would alone.
      if (jobs.length === 0) jobs = take();
      for (const job of jobs) job.settle({ error });
    }
  }

  private async commitTogether(client: pg.ClientBase, jobs: GroupedJob[]): Promise<boolean> {
    const transaction = openTransaction(
      client,
      jobs.map((job) => job.cause),
    );
    let values: unknown[];
    try {
      values = await inTransaction(client, async () => {
        const claims = await this.claimAll(client, jobs);
        const results: unknown[] = [];
        for (const [index, job] of jobs.entries()) {
          results.push(await this.runJob(transaction, job, jobs.length, claims[index]));
        }
        await this.finish(transaction);
        return results;
      });
    } catch {
      return false;
    }
    for (const callback of transaction.afterCommit) callback();
    jobs.forEach((job, index) => job.settle({ value: values[index] }));
    return true;
  }

  private async commitAlone(client: pg.ClientBase, job: GroupedJob): Promise<void> {
    const broken = brokenBy(client);
    if (broken) {
      job.settle({ error: broken });
      return;
    }
    const transaction = openTransaction(client, [job.cause]);
    try {
      const value = await inTransaction(client, async () => {
        const first = job.entry ? await claimInInbox(client, job.entry) : undefined;
        const value = await this.runJob(transaction, job, 1, first);
        await this.finish(transaction);
        return value;
      });
      for (const callback of transaction.afterCommit) callback();
      job.settle({ value });
    } catch (error) {
      job.settle({ error });
    }
  }

  /** The inbox claims of the jobs that have one, in one statement; undefined for the others. */
  private async claimAll(
    client: pg.ClientBase,
    jobs: readonly GroupedJob[],
  ): Promise<Array<boolean | undefined>> {
    const entries = jobs.flatMap((job) => (job.entry ? [job.entry] : []));
    if (entries.length === 0) return jobs.map(() => undefined);
    const claimed = await claimAllInInbox(client, entries);
    let next = 0;
    return jobs.map((job) => (job.entry ? claimed[next++] : undefined));
  }

  /**
   * The job in its submitter's trace, with its own cause, in the shared
   * transaction. A job with an inbox entry runs only if `first`, and answers it.
   */
  private runJob(
    transaction: Transaction,
    job: GroupedJob,
    groupSize: number,
    first: boolean | undefined,
  ): Promise<unknown> {
    return job.inSubmitterContext(() =>
      inSpan(
        'transaction',
        {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system.name': 'postgresql', 'db.transaction.group_size': groupSize },
        },
        () =>
          this.runIn(transaction, job.cause, async () => {
            if (first === undefined) return job.work();
            if (first) await job.work();
            return first;
          }),
      ),
    );
  }

  /** The last writes gathered by the work, before COMMIT, inside the transaction. */
  private finish(transaction: Transaction): Promise<void> {
    return this.current.run({ transaction, cause: undefined }, async () => {
      for (const callback of transaction.beforeCommit) await callback();
    });
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

/** Runs functions in the async context the resource was made in (cheaper than a bound snapshot). */
function inContextOf(resource: AsyncResource) {
  return <R>(fn: () => R): R => resource.runInAsyncScope(fn);
}

function openTransaction(
  client: pg.ClientBase,
  causes: ReadonlyArray<MessageCause | undefined>,
): Transaction {
  const correlationIds = causes.flatMap((cause) =>
    cause?.correlationId ? [cause.correlationId] : [],
  );
  return { client, manager: undefined, beforeCommit: [], afterCommit: [], correlationIds };
}
