import type pg from 'pg';
import type { Statement } from './pg-transaction.js';

/** The PostgreSQL types a batched column may have. */
export type ColumnType =
  'uuid' | 'text' | 'bigint' | 'integer' | 'boolean' | 'jsonb' | 'timestamptz';

/** A column of a batched write: its type, and how a row gives its value. */
export interface Column<Row> {
  readonly type: ColumnType;
  readonly value: (row: Row) => unknown;
}

export type Columns<Row> = Readonly<Record<string, Column<Row>>>;

export function column<Row>(type: ColumnType, value: (row: Row) => unknown): Column<Row> {
  return { type, value };
}

export interface BatchedWriteOptions<Row> {
  /** Rows with one key are written once: the last one added wins. */
  readonly key?: (row: Row) => string;
  /** Prepares the statement once per connection under this name (never for a statement whose plan depends on table sizes). */
  readonly prepareAs?: string;
  /** Called with the statement's result, before its transaction's COMMIT is answered. */
  readonly answered?: (result: pg.QueryResult, rows: readonly Row[]) => void;
}

let declared = 0;

/**
 * Rows a transaction gathers as its work runs and writes in one statement
 * with its COMMIT, however many pieces of work share it: a write nothing in
 * the transaction reads back costs no round trip. Declared once per table
 * (`insertInto`, `updateEach`, or `batchedWrite` for SQL of one's own); a
 * transaction's batches are written in the order they were declared.
 */
export class BatchedWrite<Row> {
  readonly position = declared++;

  constructor(
    private readonly columns: Columns<Row>,
    /** The statement, given the SQL of the rows as a table: `rows(<columns>, position)`. */
    private readonly sql: (rows: string) => string,
    private readonly options: BatchedWriteOptions<Row> = {},
  ) {}

  statement(gathered: readonly Row[]): Statement {
    const { key, prepareAs, answered } = this.options;
    const rows = key ? [...new Map(gathered.map((row) => [key(row), row])).values()] : gathered;
    const entries = Object.entries(this.columns);
    const arrays = entries.map(([, { type }], index) => `$${index + 1}::${type}[]`);
    const source =
      `unnest(${arrays.join(', ')}) WITH ORDINALITY` +
      ` AS rows(${entries.map(([name]) => name).join(', ')}, position)`;
    return {
      query: {
        name: prepareAs,
        text: this.sql(source),
        values: entries.map(([, { type, value }]) =>
          rows.map((row) => (type === 'jsonb' ? JSON.stringify(value(row)) : value(row))),
        ),
      },
      answered: answered && ((result) => answered(result, rows)),
    };
  }
}

/** Rows inserted into `table`, in the order they were added. */
export function insertInto<Row>(
  table: string,
  columns: Columns<Row>,
  options: BatchedWriteOptions<Row> & {
    /** What follows ON CONFLICT, e.g. `DO NOTHING`. */
    readonly onConflict?: string;
    readonly returning?: string;
  } = {},
): BatchedWrite<Row> {
  const names = Object.keys(columns).join(', ');
  const { onConflict, returning } = options;
  return new BatchedWrite(
    columns,
    (rows) =>
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM ${rows} ORDER BY position` +
      (onConflict ? ` ON CONFLICT ${onConflict}` : '') +
      (returning ? ` RETURNING ${returning}` : ''),
    { prepareAs: `insert-${table}`, ...options },
  );
}

/**
 * Rows of `table` updated where the column `key` matches: one row's last
 * state per key. Not prepared: a plan made while the table was small would
 * scan it whole.
 */
export function updateEach<Row>(
  table: string,
  key: string,
  columns: Columns<Row>,
): BatchedWrite<Row> {
  const keyColumn = columns[key];
  if (!keyColumn) throw new Error(`updateEach(${table}): the key ${key} is not a column`);
  const set = Object.keys(columns)
    .filter((name) => name !== key)
    .map((name) => `${name} = rows.${name}`)
    .join(', ');
  return new BatchedWrite(
    columns,
    (rows) => `UPDATE ${table} SET ${set} FROM ${rows} WHERE ${table}.${key} = rows.${key}`,
    { key: (row) => String(keyColumn.value(row)) },
  );
}

/** A batched write with SQL of its own, reading the gathered rows from the table `rows`. */
export function batchedWrite<Row>(
  columns: Columns<Row>,
  sql: (rows: string) => string,
  options?: BatchedWriteOptions<Row>,
): BatchedWrite<Row> {
  return new BatchedWrite(columns, sql, options);
}
