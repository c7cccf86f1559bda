import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/messaging';
import type { Payment, PaymentStatus, Refund } from '../domain/payment.js';
import { PaymentEntity } from './payment.entity.js';
import { RefundEntity } from './refund.entity.js';

/** Writes join the open unit of work; reads outside one use the pool. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /**
   * Records the order's one payment; false when the order already has one
   * (a concurrent attempt waits on the unique key, then gets false).
   */
  async insertIfFirst(payment: Payment): Promise<boolean> {
    const connection = await this.unitOfWork.connection();
    const inserted = await connection.query({
      name: 'payments-insert',
      text: `INSERT INTO payments (id, order_id, customer_id, amount, currency, status,
               decline_reason, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING`,
      values: [
        payment.id,
        payment.orderId,
        payment.customerId,
        payment.amount,
        payment.currency,
        payment.status,
        payment.declineReason,
        payment.createdAt,
        payment.updatedAt,
      ],
    });
    return inserted.rowCount === 1;
  }

  /** Whether the order has a payment, as the open unit of work sees it. */
  async existsForOrder(orderId: string): Promise<boolean> {
    const connection = await this.unitOfWork.connection();
    const { rowCount } = await connection.query({
      name: 'payments-exists-for-order',
      text: 'SELECT 1 FROM payments WHERE order_id = $1',
      values: [orderId],
    });
    return rowCount === 1;
  }

  async lock(id: string): Promise<Payment | null> {
    return this.unitOfWork.manager.findOne(PaymentEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async setStatus(id: string, status: PaymentStatus, at: Date): Promise<void> {
    await this.unitOfWork.manager.update(PaymentEntity, { id }, { status, updatedAt: at });
  }

  async insertRefund(refund: Refund): Promise<void> {
    await this.unitOfWork.manager.insert(RefundEntity, refund);
  }

  async findById(id: string): Promise<Payment | null> {
    return this.manager.findOneBy(PaymentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    return this.manager.findOneBy(PaymentEntity, { orderId });
  }

  async refundsOf(paymentIds: readonly string[]): Promise<Refund[]> {
    if (paymentIds.length === 0) return [];
    return this.manager
      .createQueryBuilder(RefundEntity, 'r')
      .where('r.payment_id = ANY(:ids)', { ids: paymentIds })
      .getMany();
  }
}
