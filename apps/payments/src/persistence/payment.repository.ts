import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OneRowPerOrder, UnitOfWork, type Statement } from '@app/messaging';
import { PaymentStatus, type Payment, type Refund } from '../domain/payment.js';
import { PaymentEntity } from './payment.entity.js';
import { RefundEntity } from './refund.entity.js';

/**
 * Writes join the open unit of work; reads outside one use the pool. A
 * transaction's new payments are written together in one statement just
 * before it commits.
 */
@Injectable()
export class PaymentRepository {
  private readonly payments: OneRowPerOrder<Payment>;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.payments = new OneRowPerOrder(unitOfWork, 'payments', (rows) => this.insert(rows));
  }

  private get manager(): EntityManager {
    return this.unitOfWork.currentOrSharedManager;
  }

  /** Whether the order has its payment: stored, or added in this transaction. */
  hasPayment(orderId: string): Promise<boolean> {
    return this.payments.has(orderId);
  }

  /**
   * The order's one payment, written with the transaction's others just before
   * it commits (see OneRowPerOrder for a race with another transaction).
   */
  add(payment: Payment): void {
    this.payments.add(payment);
  }

  private insert(payments: readonly Payment[]): Statement {
    return {
      query: {
        name: 'payments-insert',
        text: `INSERT INTO payments (id, order_id, customer_id, amount, currency, status,
                 decline_reason, created_at, updated_at)
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[],
                 $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])`,
        values: [
          payments.map((payment) => payment.id),
          payments.map((payment) => payment.orderId),
          payments.map((payment) => payment.customerId),
          payments.map((payment) => payment.amount),
          payments.map((payment) => payment.currency),
          payments.map((payment) => payment.status),
          payments.map((payment) => payment.declineReason),
          payments.map((payment) => payment.createdAt),
          payments.map((payment) => payment.updatedAt),
        ],
      },
    };
  }

  /** The payment, locked until the unit of work ends, so its refunds run one at a time. */
  async lock(id: string): Promise<Payment | null> {
    const connection = await this.unitOfWork.connection();
    const { rows } = await connection.query<PaymentRow>({
      name: 'payments-lock',
      text: `SELECT id, order_id, customer_id, amount, currency, status, decline_reason, created_at,
               updated_at
             FROM payments WHERE id = $1 FOR UPDATE`,
      values: [id],
    });
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The refund, and its payment marked refunded, in one statement. */
  async refund(refund: Refund): Promise<void> {
    const connection = await this.unitOfWork.connection();
    await connection.query({
      name: 'payments-refund',
      text: `WITH refunded AS (
               UPDATE payments SET status = $8, updated_at = $7 WHERE id = $2
             )
             INSERT INTO refunds (id, payment_id, order_id, amount, currency, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      values: [
        refund.id,
        refund.paymentId,
        refund.orderId,
        refund.amount,
        refund.currency,
        refund.reason,
        refund.createdAt,
        PaymentStatus.Refunded,
      ],
    });
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

/** A payments row as pg returns it (bigint as a string). */
interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  amount: string;
  currency: string;
  status: PaymentStatus;
  decline_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
    declineReason: row.decline_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
