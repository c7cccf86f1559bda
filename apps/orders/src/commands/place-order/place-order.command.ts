import { Command } from '@nestjs/cqrs';
import type { Address } from '@app/contracts';
import type { Caused, WorkCause } from '@app/transactions';
import type { Order, OrderItem } from '../../domain/order.js';

export interface OrderRequest {
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly OrderItem[];
  readonly address: Address;
}

export interface PlaceOrderResult {
  readonly order: Order;
  /** True when an earlier request with the same Idempotency-Key placed it. */
  readonly replayed: boolean;
}

export class PlaceOrderCommand extends Command<PlaceOrderResult> implements Caused {
  constructor(
    readonly request: OrderRequest,
    readonly idempotencyKey: string | null,
    /**
     * The HTTP request: its id is the causation id of the messages the order
     * records, and every message of the order joins its trace.
     */
    readonly cause: WorkCause & { readonly traceparent: string },
  ) {
    super();
  }
}
