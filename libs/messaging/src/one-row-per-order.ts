import type { Statement } from './pg-transaction.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What a transaction knows and adds of the rows of one table. */
interface Known<Row> {
  /** Orders looked up, with or without a row. */
  readonly looked: Set<string>;
  /** Orders with a row: stored, or added by this transaction. */
  readonly present: Set<string>;
  readonly added: Row[];
}

/**
 * A table that keeps at most one row per order (a unique `order_id`), as a
 * transaction sees it: which orders have their row, read for the orders of
 * every message sharing the transaction in one statement sent with its first
 * ones, and the rows it adds, inserted together with its COMMIT. If another
 * transaction commits a row for the same order first, the unique key fails
 * this one, which rolls back; its retry finds that row.
 */
export class OneRowPerOrder<Row extends { readonly orderId: string }> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    /** A constant of the repository, never input. */
    private readonly table: string,
    /** The statement that inserts the rows. */
    private readonly insert: (rows: readonly Row[]) => Statement,
  ) {
    // The rows of a transaction's orders, read with its first statements.
    unitOfWork.readAhead(this, (orders) => this.lookUp(orders));
  }

  /** Whether the order has its row: stored, or added in this transaction. */
  async has(orderId: string): Promise<boolean> {
    const { looked, present } = this.known();
    const readAhead = this.unitOfWork.takeReadAhead<{ order_id: string }>(this);
    if (readAhead) {
      const { rows } = await readAhead;
      for (const order of this.unitOfWork.correlationIds) looked.add(order);
      for (const row of rows) present.add(row.order_id);
    }
    if (!looked.has(orderId)) {
      const orders = [...new Set([orderId, ...this.unitOfWork.correlationIds])].filter(
        (order) => !looked.has(order),
      );
      const connection = await this.unitOfWork.connection();
      const { rows } = await connection.query<{ order_id: string }>(this.lookUp(orders));
      for (const order of orders) looked.add(order);
      for (const row of rows) present.add(row.order_id);
    }
    return present.has(orderId);
  }

  /** The order's one row, written when the transaction commits. */
  add(row: Row): void {
    const { looked, present, added } = this.known();
    looked.add(row.orderId);
    present.add(row.orderId);
    added.push(row);
  }

  private lookUp(orders: readonly string[]) {
    return {
      // Not prepared: a plan made while the table was small would scan it whole.
      text: `SELECT order_id FROM ${this.table} WHERE order_id = ANY($1::uuid[])`,
      values: [orders],
    };
  }

  private known(): Known<Row> {
    return this.unitOfWork.gathered(
      this,
      (): Known<Row> => ({ looked: new Set(), present: new Set(), added: [] }),
      ({ added }) => (added.length > 0 ? this.insert(added) : undefined),
    );
  }
}
