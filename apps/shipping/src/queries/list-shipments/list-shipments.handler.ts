import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Shipment } from '../../domain/shipment.js';
import { ShipmentRepository } from '../../persistence/shipment.repository.js';
import { ListShipmentsQuery } from './list-shipments.query.js';

@QueryHandler(ListShipmentsQuery)
export class ListShipmentsHandler implements IQueryHandler<ListShipmentsQuery, Shipment[]> {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute({ orderId, customerId }: ListShipmentsQuery): Promise<Shipment[]> {
    const shipment = await this.shipments.findByOrderId(orderId);
    if (!shipment || (customerId !== undefined && shipment.customerId !== customerId)) return [];
    return [shipment];
  }
}
