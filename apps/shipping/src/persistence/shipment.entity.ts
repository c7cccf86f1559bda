import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Address } from '@app/contracts';
import type { ShipmentItem, ShipmentStatus } from '../domain/shipment.js';

/** One per order (unique order_id): an order is never shipped twice. */
@Entity({ name: 'shipments' })
export class ShipmentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid', unique: true })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text' })
  status!: ShipmentStatus;

  @Column({ type: 'jsonb' })
  items!: ShipmentItem[];

  @Column({ type: 'jsonb' })
  address!: Address;

  @Column({ name: 'tracking_number', type: 'text', nullable: true })
  trackingNumber!: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'recall_reason', type: 'text', nullable: true })
  recallReason!: string | null;

  @Column({ name: 'recalled_at', type: 'timestamptz', nullable: true })
  recalledAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
