import { AsyncResource } from 'node:async_hooks';
import { inSpan, SpanKind } from '@app/observability';
import type pg from 'pg';
import type { MessageCause } from './message-cause.js';
import { claimAllInInbox, claimInInbox, type InboxEntry } from './inbox/inbox.js';
import { brokenBy, inTransaction, withPoolConnection, type Statement } from './pg-transaction.js';
import { openTransaction, type Transaction } from './transaction.js';

/** Work waiting for a transaction to take it. */
export interface GroupedJob {
  readonly work: () => Promise<unknown>;
  /** When set, the work runs only if this transaction is the first to claim the entry. */
  readonly entry?: InboxEntry;
  readonly cause: MessageCause | undefined;
  /** Runs a function in the async context (trace, logs) of whoever submitted the work. */
  readonly inSubmitterContext: <R>(fn: () => R) => R;
  readonly settle: (outcome: { value: unknown } | { error: unknown }) => void;
}

/** What a grouped transaction needs of the unit of work that owns it. */
export interface TransactionHost {
  readonly pool: () => pg.Pool;
  /** Runs `work` as a piece of `transaction`, with its own cause. */
  readonly runIn: <T>(
    transaction: Transaction,
    cause: MessageCause | undefined,
    work: () => Promise<T>,
  ) => Promise<T>;
  /** The last writes gathered by the work, to be sent with COMMIT. */
  readonly finish: (transaction: Transaction) => Statement[];
  /** Sends, right behind the inbox claims, the reads the work on messages will need. */
  readonly readAhead: (transaction: Transaction) => void;
}

/** A job for `work`, to be run in the async context of the caller. */
export function groupedJob(
  work: () => Promise<unknown>,
  cause: MessageCause | undefined,
  entry: InboxEntry | undefined,
  settle: GroupedJob['settle'],
): GroupedJob {
  // An AsyncResource rather than a bound snapshot: cheaper, once per message.
  const resource = new AsyncResource('UnitOfWork.job');
  return {
    work,
    entry,
    cause,
    settle,
    inSubmitterContext: (fn) => resource.runInAsyncScope(fn),
  };
}

/** Runs the groups GroupCommit forms: together when they can, each alone when they must. */
export class GroupedTransactions {
  constructor(private readonly host: TransactionHost) {}

  /**
   * One transaction for the jobs `take` hands over once a connection is ready.
   * If it fails, each job runs again alone on the same connection, and only a
   * job that fails alone fails.
   */
  async run(take: () => GroupedJob[]): Promise<void> {
    let jobs: GroupedJob[] = [];
    try {
      await withPoolConnection(this.host.pool(), async (client) => {
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
      values = await inTransaction(
        client,
        async () => {
          const claiming = this.claimAll(client, jobs);
          if (jobs.some((job) => job.entry)) this.host.readAhead(transaction);
          const claims = await claiming;
          const results: unknown[] = [];
          for (const [index, job] of jobs.entries()) {
            results.push(await this.runJob(transaction, job, jobs.length, claims[index]));
          }
          return results;
        },
        () => this.host.finish(transaction),
      );
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
      const value = await inTransaction(
        client,
        async () => {
          const claiming = job.entry ? claimInInbox(client, job.entry) : undefined;
          if (job.entry) this.host.readAhead(transaction);
          const first = await claiming;
          return this.runJob(transaction, job, 1, first);
        },
        () => this.host.finish(transaction),
      );
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
          this.host.runIn(transaction, job.cause, async () => {
            if (first === undefined) return job.work();
            if (first) await job.work();
            return first;
          }),
      ),
    );
  }
}
