import type pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { MessageCause } from './message-cause.js';
import type { Statement } from './pg-transaction.js';

/** One database transaction: it may serve several pieces of work (group commit). */
export interface Transaction {
  readonly client: pg.ClientBase;
  /** Made on first use: most transactions never need TypeORM. */
  manager: EntityManager | undefined;
  /** The last statements of the work, made once it is done and sent with COMMIT. */
  readonly beforeCommit: Array<() => Statement | undefined>;
  readonly afterCommit: Array<() => void>;
  /** What the work keeps for the length of the transaction, by owner (UnitOfWork.gathered). */
  readonly kept: Map<object, unknown>;
  /** Reads sent with the transaction's first statements, by owner, until taken (UnitOfWork.readAhead). */
  readonly readAhead: Map<object, Promise<pg.QueryResult>>;
  /** Of every piece of work in it. */
  readonly correlationIds: readonly string[];
}

export function openTransaction(
  client: pg.ClientBase,
  causes: ReadonlyArray<MessageCause | undefined>,
): Transaction {
  const correlationIds = causes.flatMap((cause) =>
    cause?.correlationId ? [cause.correlationId] : [],
  );
  return {
    client,
    manager: undefined,
    beforeCommit: [],
    afterCommit: [],
    kept: new Map(),
    readAhead: new Map(),
    correlationIds,
  };
}
