import type pg from 'pg';

/**
 * A read that the work of a transaction needs for its correlation ids (the
 * business flows its pieces of work belong to), declared once. The unit of
 * work sends it with the transaction's first statements, for every piece of
 * work sharing the transaction at once, so it costs no round trip of its own.
 * The ids come sorted: a read that locks rows locks them in one order.
 */
export class ReadAhead<Row extends pg.QueryResultRow> {
  constructor(readonly query: (sortedIds: readonly string[]) => pg.QueryConfig) {}

  /** Rows of this read are typed; the parameter only carries the type. */
  declare readonly row?: Row;
}

export function readAhead<Row extends pg.QueryResultRow>(
  query: (sortedIds: readonly string[]) => pg.QueryConfig,
): ReadAhead<Row> {
  return new ReadAhead<Row>(query);
}
