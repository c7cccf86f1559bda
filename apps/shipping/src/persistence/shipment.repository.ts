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
    const result = await this.unitOfWork.manager
      .createQueryBuilder()
      .insert()
      .into(ShipmentEntity)
      .values({ ...shipment, items: [...shipment.items] })
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length === 1;
  }

  async findById(id: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { orderId });
  }
}
