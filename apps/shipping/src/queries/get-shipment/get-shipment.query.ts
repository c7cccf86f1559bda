import { Query } from '@nestjs/cqrs';
import type { Shipment } from '../../domain/shipment.js';

export class GetShipmentQuery extends Query<Shipment> {
  constructor(
    readonly shipmentId: string,
    /** The authenticated customer, who sees only their own; undefined with the API open. */
    readonly customerId?: string,
  ) {
    super();
  }
}
