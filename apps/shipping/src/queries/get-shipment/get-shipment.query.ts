import { Query } from '@nestjs/cqrs';
import type { Shipment } from '../../domain/shipment.js';

export class GetShipmentQuery extends Query<Shipment> {
  constructor(readonly shipmentId: string) {
    super();
  }
}
