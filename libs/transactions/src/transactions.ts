import { Inject, Injectable, Optional } from '@nestjs/common';
import { inSpan, SpanKind } from '@app/observability';
import { DataSource } from 'typeorm';
import { GroupCommit } from './group-commit.js';
import { groupedJob, GroupedTransactions, type GroupedJob } from './grouped-transactions.js';
import { inTransaction, poolOf, withPoolConnection } from './pg-transaction.js';
import type { Once } from './run-once.js';
import { lastStatements, openTransaction, sendReadsAhead } from './transaction.js';
import { TransactionScope } from './transaction-scope.js';
import {
  TRANSACTIONS_OPTIONS,
  transactionsDefaults,
  type TransactionsOptions,
} from './transactions.options.js';
import type { WorkCause } from './work-cause.js';

export interface RunOptions {
  /** What caused the work; only where the transaction opens. */
  readonly cause?: WorkCause;
  /**
   * The transaction may serve other work submitted meanwhile (group commit).
   * The work must then be safe to run twice: when a shared transaction fails,
   * it rolls back and each piece runs again in a transaction of its own, so
   * one piece's failure is never another's.
   */
  readonly grouped?: boolean;
}

/**
 * Where transactions open: at the boundary of the work (a message taken
 * from a consumer, a command marked `@Transactional`), never inside it.
 * Work started inside a transaction joins it, and keeps its cause.
 */
@Injectable()
export class Transactions {
  private readonly groups: GroupCommit<GroupedJob>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scope: TransactionScope,
    @Optional() @Inject(TRANSACTIONS_OPTIONS) options?: TransactionsOptions,
  ) {
    const grouped = new GroupedTransactions(() => poolOf(this.dataSource), scope);
    this.groups = new GroupCommit(options ?? transactionsDefaults, (take) => grouped.run(take));
  }

  /**
   * Runs `work` in a transaction: its effects commit once or not at all.
   * Inside a transaction already open, `work` joins it.
   */
  run<T>(work: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.scope.unit) {
      if (options.cause) {
        return Promise.reject(
          new Error(
            `work caused by ${options.cause.causationId} started inside a transaction: it joins that transaction and keeps its cause`,
          ),
        );
      }
      return work();
    }
    if (options.grouped) return this.submit<T>(work, options.cause, undefined);
    return this.alone(work, options.cause);
  }

  /**
   * Runs `work` in the transaction that claims `once`, or not at all when an
   * earlier transaction did. True if it ran. `shared` lets the transaction
   * serve other work too (see `RunOptions.grouped`), whose claims are then
   * made in one statement; messages waiting for a transaction go ahead of
   * other work.
   */
  runOnce(
    once: Once,
    work: () => Promise<void>,
    options: { readonly cause?: WorkCause; readonly shared: boolean },
  ): Promise<boolean> {
    if (this.scope.unit) {
      return Promise.reject(new Error('work to run once opens its own transaction'));
    }
    if (options.shared) return this.submit<boolean>(work, options.cause, once);
    return this.alone(async () => {
      const { transaction } = this.scope.unit!;
      const claimed = once.claimer.claim(transaction.client, once.key);
      sendReadsAhead(transaction, this.scope.readsAhead);
      const first = await claimed;
      if (first) await work();
      return first;
    }, options.cause);
  }

  /** Work waiting for a grouped transaction. */
  get waiting(): number {
    return this.groups.waiting;
  }

  private async alone<T>(work: () => Promise<T>, cause: WorkCause | undefined): Promise<T> {
    const committed = await inSpan(
      'transaction',
      { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
      () =>
        withPoolConnection(poolOf(this.dataSource), (client) => {
          const transaction = openTransaction(client, [cause]);
          return inTransaction(
            client,
            async () => ({
              value: await this.scope.runIn({ transaction, cause }, work),
              transaction,
            }),
            () => lastStatements(transaction),
          );
        }),
    );
    for (const callback of committed.transaction.afterCommit) callback();
    return committed.value;
  }

  private submit<T>(
    work: () => Promise<unknown>,
    cause: WorkCause | undefined,
    once: Once | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle: GroupedJob['settle'] = (outcome) =>
        'error' in outcome ? reject(outcome.error) : resolve(outcome.value as T);
      // A message continues work already accepted; new work (a request) waits behind it.
      this.groups.submit(groupedJob(work, cause, once, settle), once ? 'ongoing' : 'incoming');
    });
  }
}
