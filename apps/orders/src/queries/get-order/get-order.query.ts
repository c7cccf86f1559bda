import { Query } from '@nestjs/cqrs';
import type { Order } from '../../domain/order.js';
import type { HistoryEntry } from '../../domain/order-store.js';

export interface OrderDetails {
  readonly order: Order;
  readonly history: readonly HistoryEntry[];
}

export class GetOrderQuery extends Query<OrderDetails> {
  constructor(
    readonly orderId: string,
    /** The authenticated customer, who sees only their own orders; undefined with the API open. */
    readonly customerId?: string,
  ) {
    super();
  }
}
