export const TRANSACTIONS_OPTIONS = Symbol('TRANSACTIONS_OPTIONS');

export interface TransactionsOptions {
  /** Transactions open at once for grouped work (group commit lanes). */
  readonly lanes: number;
  /** Pieces of work one transaction takes at most. */
  readonly maxGroup: number;
}

export const transactionsDefaults: TransactionsOptions = { lanes: 2, maxGroup: 32 };
