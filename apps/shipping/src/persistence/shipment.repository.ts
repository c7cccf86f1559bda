import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Shipment } from '../domain/shipment.js';
import { ShipmentEntity } from './shipment.entity.js';

/** Writes join the open unit of work; reads outside one use the pool. */
@Injectable()
export class ShipmentRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /** False when the order already has a shipment (a concurrent one waits on the unique key). */
  async insertIfFirst(shipment: Shipment): Promise<boolean> {
    const connection = await this.unitOfWork.connection();
    const inserted = await connection.query({
      name: 'shipments-insert',
      text: `INSERT INTO shipments (id, order_id, customer_id, status, items, address,
               tracking_number, failure_reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING`,
      values: [
        shipment.id,
        shipment.orderId,
        shipment.customerId,
        shipment.status,
        JSON.stringify(shipment.items),
        JSON.stringify(shipment.address),
        shipment.trackingNumber,
        shipment.failureReason,
        shipment.createdAt,
      ],
    });
    return inserted.rowCount === 1;
  }

  async findById(id: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { orderId });
  }
}
