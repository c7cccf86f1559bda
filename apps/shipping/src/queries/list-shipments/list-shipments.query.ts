import { Query } from '@nestjs/cqrs';
import type { Shipment } from '../../domain/shipment.js';

/** The shipments of one order: none yet, or its one shipment. */
export class ListShipmentsQuery extends Query<Shipment[]> {
  constructor(
    readonly orderId: string,
    /** The authenticated customer, who sees only their own; undefined with the API open. */
    readonly customerId?: string,
  ) {
    super();
  }
}
