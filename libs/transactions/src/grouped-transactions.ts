import { AsyncResource } from 'node:async_hooks';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import { isDatabaseUnreachable } from './outage.js';
import { brokenBy, inTransaction, withPoolConnection } from './pg-transaction.js';
import type { Once } from './run-once.js';
import {
  lastStatements,
  openTransaction,
  sendReadsAhead,
  type Transaction,
} from './transaction.js';
import type { TransactionScope } from './transaction-scope.js';
import type { WorkCause } from './work-cause.js';

/** Work waiting for a transaction to take it. */
export interface GroupedJob {
  readonly work: () => Promise<unknown>;
  /** When set, the work runs only if this transaction is the first to claim it. */
  readonly once: Once | undefined;
  readonly cause: WorkCause | undefined;
  /** Runs a function in the async context (trace, logs) of whoever submitted the work. */
  readonly inSubmitterContext: <R>(fn: () => R) => R;
  readonly settle: (outcome: { value: unknown } | { error: unknown }) => void;
}

/** A job for `work`, to be run in the async context of the caller. */
export function groupedJob(
  work: () => Promise<unknown>,
  cause: WorkCause | undefined,
  once: Once | undefined,
  settle: GroupedJob['settle'],
): GroupedJob {
  // An AsyncResource rather than a bound snapshot: cheaper, once per message.
  const resource = new AsyncResource('Transactions.job');
  return { work, once, cause, settle, inSubmitterContext: (fn) => resource.runInAsyncScope(fn) };
}

/** Runs the groups GroupCommit forms: together when they can, each alone when they must. */
export class GroupedTransactions {
  constructor(
    private readonly pool: () => pg.Pool,
    private readonly scope: TransactionScope,
  ) {}

  /**
   * One transaction for the jobs `take` hands over once a connection is ready.
   * If it fails, each job runs again alone on the same connection, and only a
   * job that fails alone fails; unless the database failed it (a lock or
   * statement timeout, a lost connection): alone, each would wait as long
   * again, one after the other, so every job fails with it at once.
   */
  async run(take: () => GroupedJob[]): Promise<void> {
    let jobs: GroupedJob[] = [];
    try {
      await withPoolConnection(this.pool(), async (client) => {
        jobs = take();
        if (jobs.length > 1) {
          const failure = await this.commitTogether(client, jobs);
          if (failure === undefined) return;
          if (isDatabaseUnreachable(failure.error)) throw failure.error;
        }
        for (const job of jobs) await this.commitAlone(client, job);
      });
    } catch (error) {
      // No connection (the database is down), or it failed them together: every job taken fails as it would alone.
      if (jobs.length === 0) jobs = take();
      for (const job of jobs) job.settle({ error });
    }
  }

  /** Commits the jobs in one transaction; what failed it, if it failed. */
  private async commitTogether(
    client: pg.ClientBase,
    jobs: GroupedJob[],
  ): Promise<{ error: unknown } | undefined> {
    const transaction = openTransaction(
      client,
      jobs.map((job) => job.cause),
    );
    let values: unknown[];
    try {
      values = await inTransaction(
        client,
        async () => {
          const claiming = claimAll(client, jobs);
          if (jobs.some((job) => job.once)) sendReadsAhead(transaction, this.scope.readsAhead);
          const claims = await claiming;
          const results: unknown[] = [];
          for (const [index, job] of jobs.entries()) {
            results.push(await this.runJob(transaction, job, jobs.length, claims[index]));
          }
          return results;
        },
        () => lastStatements(transaction),
      );
    } catch (error) {
      return { error };
    }
    for (const callback of transaction.afterCommit) callback();
    jobs.forEach((job, index) => job.settle({ value: values[index] }));
    return undefined;
  }

  private async commitAlone(client: pg.ClientBase, job: GroupedJob): Promise<void> {
    const broken = brokenBy(client);
    if (broken) {
      job.settle({ error: broken });
      return;
    }
    const transaction = openTransaction(client, [job.cause]);
    try {
      const value = await inTransaction(
        client,
        async () => {
          const claiming = job.once?.claimer.claim(client, job.once.key);
          if (job.once) sendReadsAhead(transaction, this.scope.readsAhead);
          const first = await claiming;
          return this.runJob(transaction, job, 1, first);
        },
        () => lastStatements(transaction),
      );
      for (const callback of transaction.afterCommit) callback();
      job.settle({ value });
    } catch (error) {
      job.settle({ error });
    }
  }

  /**
   * The job in its submitter's trace, with its own cause, in the shared
   * transaction. A job to run once runs only if `first`, and answers it.
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
          this.scope.runIn({ transaction, cause: job.cause }, async () => {
            if (first === undefined) return job.work();
            if (first) await job.work();
            return first;
          }),
      ),
    );
  }
}

/**
 * The claims of the jobs to run once, one statement per claimer (the inbox,
 * in practice); undefined for the other jobs.
 */
async function claimAll(
  client: pg.ClientBase,
  jobs: readonly GroupedJob[],
): Promise<Array<boolean | undefined>> {
  const claims: Array<boolean | undefined> = jobs.map(() => undefined);
  const byClaimer = new Map<Once['claimer'], number[]>();
  jobs.forEach((job, index) => {
    if (!job.once) return;
    const indexes = byClaimer.get(job.once.claimer) ?? [];
    indexes.push(index);
    byClaimer.set(job.once.claimer, indexes);
  });
  for (const [claimer, indexes] of byClaimer) {
    const claimed = await claimer.claimAll(
      client,
      indexes.map((index) => jobs[index]?.once?.key),
    );
    indexes.forEach((jobIndex, position) => (claims[jobIndex] = claimed[position]));
  }
  return claims;
}
