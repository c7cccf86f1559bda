import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who an order belongs to, learnt from OrderPlaced, for events that do not say. */
@Entity({ name: 'order_recipients' })
export class OrderRecipientEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;
}
