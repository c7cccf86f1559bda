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
    const result = await this.unitOfWork.manager
      .createQueryBuilder()
      .insert()
      .into(PaymentEntity)
      .values(payment)
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length === 1;
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
