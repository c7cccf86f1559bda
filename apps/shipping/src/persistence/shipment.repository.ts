import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Shipment } from '../domain/shipment.js';
import { ShipmentEntity } from './shipment.entity.js';

/** What a transaction knows and adds of orders' shipments. */
interface Bookings {
  /** Orders looked up, with or without a shipment. */
  readonly looked: Set<string>;
  /** Orders with a shipment: stored, or added by this transaction. */
  readonly booked: Set<string>;
  readonly added: Shipment[];
}

/**
 * Writes join the open unit of work; reads outside one use the pool. A
 * transaction's new shipments are written together in one statement just
 * before it commits.
 */
@Injectable()
export class ShipmentRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  private bookings(): Bookings {
    return this.unitOfWork.gathered(
      this,
      (): Bookings => ({ looked: new Set(), booked: new Set(), added: [] }),
      (bookings) => this.write(bookings.added),
    );
  }

  /**
   * Whether the order has its shipment: stored, or added in this transaction.
   * The first look in a transaction reads, in one statement, for the orders
   * of every message sharing it.
   */
  async hasShipment(orderId: string): Promise<boolean> {
    const { looked, booked } = this.bookings();
    if (!looked.has(orderId)) {
      const orders = [...new Set([orderId, ...this.unitOfWork.correlationIds])].filter(
        (order) => !looked.has(order),
      );
      const connection = await this.unitOfWork.connection();
      const { rows } = await connection.query<{ order_id: string }>({
        // Not prepared: a plan made while the table was small would scan it whole.
        text: 'SELECT order_id FROM shipments WHERE order_id = ANY($1::uuid[])',
        values: [orders],
      });
      for (const order of orders) looked.add(order);
      for (const row of rows) booked.add(row.order_id);
    }
    return booked.has(orderId);
  }

  /**
   * The order's one shipment, written when the transaction commits. If another
   * transaction has committed one for the order meanwhile, this one fails on
   * the unique order id and rolls back; its retry finds that shipment.
   */
  add(shipment: Shipment): void {
    const { looked, booked, added } = this.bookings();
    looked.add(shipment.orderId);
    booked.add(shipment.orderId);
    added.push(shipment);
  }

  private async write(shipments: readonly Shipment[]): Promise<void> {
    if (shipments.length === 0) return;
    const connection = await this.unitOfWork.connection();
    await connection.query({
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
    });
  }

  async findById(id: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    return this.manager.findOneBy(ShipmentEntity, { orderId });
  }
}
