import type pg from 'pg';
import type { BatchedWrite } from './batched-write.js';
import { isPipelined, type Statement } from './pg-transaction.js';
import type { ReadAhead } from './read-ahead.js';
import type { WorkCause } from './work-cause.js';

/** What a read ahead has read in one transaction. */
export interface ReadState {
  /** Sent with the transaction's first statements and not yet taken by the work. */
  sent: Promise<pg.QueryResult> | undefined;
  /** The ids it has read, or is reading. */
  readonly covered: Set<string>;
}

/** One database transaction: it may serve several pieces of work (group commit). */
export interface Transaction {
  readonly client: pg.ClientBase;
  /** Of every piece of work in it. */
  readonly correlationIds: readonly string[];
  /** Rows gathered for each batched write, written with COMMIT. */
  readonly batches: Map<BatchedWrite<never>, unknown[]>;
  readonly reads: Map<ReadAhead<pg.QueryResultRow>, ReadState>;
  /** What the work keeps for the length of the transaction, by owner. */
  readonly kept: Map<object, unknown>;
  readonly afterCommit: Array<() => void>;
}

export function openTransaction(
  client: pg.ClientBase,
  causes: ReadonlyArray<WorkCause | undefined>,
): Transaction {
  return {
    client,
    correlationIds: causes.flatMap((cause) => (cause?.correlationId ? [cause.correlationId] : [])),
    batches: new Map(),
    reads: new Map(),
    kept: new Map(),
    afterCommit: [],
  };
}

/** The transaction's batched writes, in the order they were declared, to be sent with COMMIT. */
export function lastStatements(transaction: Transaction): Statement[] {
  return [...transaction.batches]
    .sort(([a], [b]) => a.position - b.position)
    .map(([batch, rows]) => batch.statement(rows as never[]));
}

/**
 * Sends the reads ahead with the transaction's first statements, for the
 * ids of every piece of work in it, when the connection need not wait for
 * the answers to the statements before.
 */
export function sendReadsAhead(
  transaction: Transaction,
  reads: Iterable<ReadAhead<pg.QueryResultRow>>,
): void {
  if (transaction.correlationIds.length === 0 || !isPipelined(transaction.client)) return;
  const ids = [...new Set(transaction.correlationIds)].sort();
  for (const read of reads) {
    const sent = transaction.client.query(read.query(ids));
    // Taken, or not, by the work; if it failed, so does every statement after it.
    sent.catch(() => undefined);
    transaction.reads.set(read, { sent, covered: new Set(ids) });
  }
}
