export * from './transactions.module.js';
export {
  TRANSACTIONS_OPTIONS,
  transactionsDefaults,
  type TransactionsOptions,
} from './transactions.options.js';
export { Transactions, type RunOptions } from './transactions.js';
export { Transactional, type Caused, type TransactionalOptions } from './transactional.js';
export { UnitOfWork, type AfterCommit } from './unit-of-work.js';
export type { WorkCause } from './work-cause.js';
export { isDatabaseUnreachable } from './outage.js';
export type { Once, OnceClaimer, TransactionConnection } from './run-once.js';
export { readAhead, type ReadAhead } from './read-ahead.js';
export {
  batchedWrite,
  column,
  insertInto,
  updateEach,
  type BatchedWrite,
  type Column,
  type ColumnType,
} from './batched-write.js';
export { PIPELINED_CONNECTIONS, poolOf, type Statement } from './pg-transaction.js';
