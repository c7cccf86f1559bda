import { Command } from '@nestjs/cqrs';
import type { Address } from '@app/contracts';
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

export class PlaceOrderCommand extends Command<PlaceOrderResult> {
  constructor(
    readonly request: OrderRequest,
    /** The HTTP request's id: the causation id of the messages it records. */
    readonly requestId: string,
    readonly idempotencyKey: string | null,
    /** W3C trace context: every message of the order joins this trace. */
    readonly traceparent: string,
  ) {
    super();
  }
}
