import { Query } from '@nestjs/cqrs';
import type { Order, OrderStatus } from '../../domain/order.js';

export interface OrderPage {
  readonly orders: readonly Order[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly filter: {
      readonly customerId?: string;
      readonly status?: OrderStatus;
      readonly limit: number;
      readonly cursor?: string;
    },
  ) {
    super();
  }
}
