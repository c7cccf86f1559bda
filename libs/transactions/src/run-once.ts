import type pg from 'pg';

/** The transaction's own connection, for statements that must run in it. */
export type TransactionConnection = Pick<pg.ClientBase, 'query'>;

/**
 * The hook through which work runs at most once: before the work, in its
 * transaction, the claimer records the key; a transaction that finds it
 * already recorded skips the work. The messaging inbox is one claimer.
 */
export interface OnceClaimer<Key> {
  /** Whether this transaction is the first to claim `key`. */
  claim(connection: TransactionConnection, key: Key): Promise<boolean>;
  /** The claims of several keys in one statement, in the order given. */
  claimAll(connection: TransactionConnection, keys: readonly Key[]): Promise<boolean[]>;
}

/** A key and the claimer that records it. */
export interface Once<Key = unknown> {
  readonly claimer: OnceClaimer<Key>;
  readonly key: Key;
}
