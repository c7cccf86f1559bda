import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ShipmentNotFound, type Shipment } from '../../domain/shipment.js';
import { ShipmentRepository } from '../../persistence/shipment.repository.js';
import { GetShipmentQuery } from './get-shipment.query.js';

@QueryHandler(GetShipmentQuery)
export class GetShipmentHandler implements IQueryHandler<GetShipmentQuery, Shipment> {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute({ shipmentId, customerId }: GetShipmentQuery): Promise<Shipment> {
    const shipment = await this.shipments.findById(shipmentId);
    // Another customer's shipment is as unknown as one that does not exist.
    if (!shipment || (customerId !== undefined && shipment.customerId !== customerId)) {
      throw new ShipmentNotFound(shipmentId);
    }
    return shipment;
  }
}
