import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OneRowPerOrder, UnitOfWork, type Statement } from '@app/messaging';
import type { Shipment } from '../domain/shipment.js';
import { ShipmentEntity } from './shipment.entity.js';

/**
 * Writes join the open unit of work; reads outside one use the pool. A
 * transaction's new shipments are written together in one statement just
 * before it commits.
 */
@Injectable()
export class ShipmentRepository {
  private readonly shipments: OneRowPerOrder<Shipment>;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.shipments = new OneRowPerOrder(unitOfWork, 'shipments', (rows) => this.insert(rows));
  }

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /** Whether the order has its shipment: stored, or added in this transaction. */
  hasShipment(orderId: string): Promise<boolean> {
    return this.shipments.has(orderId);
  }

  /**
   * The order's one shipment, written with the transaction's others just before
   * it commits (see OneRowPerOrder for a race with another transaction).
   */
  add(shipment: Shipment): void {
    this.shipments.add(shipment);
  }

  private insert(shipments: readonly Shipment[]): Statement {
    return {
      query: {
        name: 'shipments-insert',
        text: `INSERT INTO shipments (id, order_id, customer_id, status, items, address,
                 tracking_number, failure_reason, created_at)
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[],
                 $6::jsonb[], $7::text[], $8::text[], $9::timestamptz[])`,
        values: [
          shipments.map((shipment) => shipment.id),
          shipments.map((shipment) => shipment.orderId),
          shipments.map((shipment) => shipment.customerId),
          shipments.map((shipment) => shipment.status),
          shipments.map((shipment) => JSON.stringify(shipment.items)),
          shipments.map((shipment) => JSON.stringify(shipment.address)),
          shipments.map((shipment) => shipment.trackingNumber),
          shipments.map((shipment) => shipment.failureReason),
          shipments.map((shipment) => shipment.createdAt),
        ],
      },
    };
  }

  async findById(id: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { orderId });
  }
}
