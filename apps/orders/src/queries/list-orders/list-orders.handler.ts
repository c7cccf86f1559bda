import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidCursor } from '../../domain/order-errors.js';
import { OrderRepository } from '../../persistence/order.repository.js';
import { ListOrdersQuery, type OrderPage } from './list-orders.query.js';

const CURSOR_PREFIX = 'o1:';

/** Opaque to clients: the position of the last order of the page. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const seq = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(seq) || seq < 1)
    throw new InvalidCursor();
  return seq;
}

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery, OrderPage> {
  constructor(private readonly orders: OrderRepository) {}

  async execute({ filter }: ListOrdersQuery): Promise<OrderPage> {
    const beforeSeq = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
    // One more than asked tells whether another page exists.
    const rows = await this.orders.list({
      customerId: filter.customerId,
      status: filter.status,
      beforeSeq,
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return {
      orders: page.map((row) => row.order),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.seq) : null,
    };
  }
}
