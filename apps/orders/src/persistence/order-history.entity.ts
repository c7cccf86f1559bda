import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus } from '../domain/order.js';

/**
 * One message that reached the order's saga: a transition it caused, or, with
 * `ignored`, one that did not fit the state. Kept without a TypeORM relation
 * to the order (ESM entity files must not import each other).
 */
@Entity({ name: 'order_history' })
export class OrderHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: OrderStatus | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus!: OrderStatus | null;

  @Column({ name: 'message_type', type: 'text' })
  messageType!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ type: 'boolean', default: false })
  ignored!: boolean;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
