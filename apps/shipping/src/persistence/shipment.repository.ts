import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { column, insertInto, readAhead, UnitOfWork, updateEach } from '@app/transactions';
import type { Shipment } from '../domain/shipment.js';
import { ShipmentEntity } from './shipment.entity.js';

/** Whether the orders of a transaction's messages have their shipment. */
const SHIPMENTS_OF_ORDERS = readAhead<{ order_id: string }>((orderIds) => ({
  // Not prepared: a plan made while the table was small would scan it whole.
  text: 'SELECT order_id FROM shipments WHERE order_id = ANY($1::uuid[])',
  values: [orderIds],
}));

const NEW_SHIPMENTS = insertInto<Shipment>('shipments', {
  id: column('uuid', (shipment) => shipment.id),
  order_id: column('uuid', (shipment) => shipment.orderId),
  customer_id: column('uuid', (shipment) => shipment.customerId),
  status: column('text', (shipment) => shipment.status),
  items: column('jsonb', (shipment) => shipment.items),
  address: column('jsonb', (shipment) => shipment.address),
  tracking_number: column('text', (shipment) => shipment.trackingNumber),
  failure_reason: column('text', (shipment) => shipment.failureReason),
  recall_reason: column('text', (shipment) => shipment.recallReason),
  recalled_at: column('timestamptz', (shipment) => shipment.recalledAt),
  created_at: column('timestamptz', (shipment) => shipment.createdAt),
});

/** Declared after NEW_SHIPMENTS, so a shipment is written before it is recalled. */
const RECALLED_SHIPMENTS = updateEach<Shipment>('shipments', 'id', {
  id: column('uuid', (shipment) => shipment.id),
  status: column('text', (shipment) => shipment.status),
  recall_reason: column('text', (shipment) => shipment.recallReason),
  recalled_at: column('timestamptz', (shipment) => shipment.recalledAt),
});

/** A shipments row as the statement below selects it. */
const SHIPMENT_COLUMNS = `id, order_id AS "orderId", customer_id AS "customerId", status, items,
  address, tracking_number AS "trackingNumber", failure_reason AS "failureReason",
  recall_reason AS "recallReason", recalled_at AS "recalledAt", created_at AS "createdAt"`;

/**
 * Shipments. New ones are gathered in the transaction and sent with its
 * COMMIT; reads of committed rows use the pool. An order has one shipment (a
 * unique `order_id`): if another transaction commits one for the same order
 * first, the key fails this transaction, which rolls back, and its message's
 * retry finds that shipment.
 */
@Injectable()
export class ShipmentRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  /** Whether the order has its shipment: stored, or added in this transaction. */
  async hasShipment(orderId: string): Promise<boolean> {
    const shipped = this.shippedInTransaction();
    for (const row of await this.unitOfWork.read(SHIPMENTS_OF_ORDERS, orderId)) {
      shipped.add(row.order_id);
    }
    return shipped.has(orderId);
  }

  add(shipment: Shipment): void {
    this.shippedInTransaction().add(shipment.orderId);
    this.unitOfWork.write(NEW_SHIPMENTS, shipment);
  }

  /** The shipment, locked until the transaction ends, so that two recalls of it run one at a time. */
  async lock(id: string): Promise<Shipment | null> {
    const { rows } = await this.unitOfWork.query<Shipment>({
      name: 'shipments-lock',
      text: `SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE id = $1 FOR UPDATE`,
      values: [id],
    });
    return rows[0] ?? null;
  }

  recall(shipment: Shipment): void {
    this.unitOfWork.write(RECALLED_SHIPMENTS, shipment);
  }

  async findById(id: string): Promise<Shipment | null> {
    return this.dataSource.manager.findOneBy(ShipmentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    return this.dataSource.manager.findOneBy(ShipmentEntity, { orderId });
  }

  /** The orders this transaction knows to have their shipment. */
  private shippedInTransaction(): Set<string> {
    return this.unitOfWork.kept(this, () => new Set<string>());
  }
}
