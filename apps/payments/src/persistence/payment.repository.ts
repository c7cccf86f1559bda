import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { column, insertInto, readAhead, UnitOfWork, updateEach } from '@app/transactions';
import { PaymentStatus, type Payment, type Refund } from '../domain/payment.js';
import { PaymentEntity } from './payment.entity.js';
import { RefundEntity } from './refund.entity.js';

/** A payments row as the statements below select it (bigint as a string). */
type PaymentRow = Omit<Payment, 'amount'> & { amount: string };

const PAYMENT_COLUMNS = `id, order_id AS "orderId", customer_id AS "customerId", amount, currency,
  status, decline_reason AS "declineReason", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Whether the orders of a transaction's messages have their payment. */
const PAYMENTS_OF_ORDERS = readAhead<{ order_id: string }>((orderIds) => ({
  // Not prepared: a plan made while the table was small would scan it whole.
  text: 'SELECT order_id FROM payments WHERE order_id = ANY($1::uuid[])',
  values: [orderIds],
}));

const NEW_PAYMENTS = insertInto<Payment>('payments', {
  id: column('uuid', (payment) => payment.id),
  order_id: column('uuid', (payment) => payment.orderId),
  customer_id: column('uuid', (payment) => payment.customerId),
  amount: column('bigint', (payment) => payment.amount),
  currency: column('text', (payment) => payment.currency),
  status: column('text', (payment) => payment.status),
  decline_reason: column('text', (payment) => payment.declineReason),
  created_at: column('timestamptz', (payment) => payment.createdAt),
  updated_at: column('timestamptz', (payment) => payment.updatedAt),
});

const REFUNDED_PAYMENTS = updateEach<Refund>('payments', 'id', {
  id: column('uuid', (refund) => refund.paymentId),
  status: column('text', () => PaymentStatus.Refunded),
  updated_at: column('timestamptz', (refund) => refund.createdAt),
});

const REFUNDS = insertInto<Refund>('refunds', {
  id: column('uuid', (refund) => refund.id),
  payment_id: column('uuid', (refund) => refund.paymentId),
  order_id: column('uuid', (refund) => refund.orderId),
  amount: column('bigint', (refund) => refund.amount),
  currency: column('text', (refund) => refund.currency),
  reason: column('text', (refund) => refund.reason),
  created_at: column('timestamptz', (refund) => refund.createdAt),
});

/**
 * Payments and refunds. Writes are gathered in the transaction and sent with
 * its COMMIT; reads of committed rows use the pool. An order has one payment
 * (a unique `order_id`): if another transaction commits one for the same
 * order first, the key fails this transaction, which rolls back, and its
 * message's retry finds that payment.
 */
@Injectable()
export class PaymentRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  /** Whether the order has its payment: stored, or added in this transaction. */
  async hasPayment(orderId: string): Promise<boolean> {
    const paid = this.paidInTransaction();
    for (const row of await this.unitOfWork.read(PAYMENTS_OF_ORDERS, orderId))
      paid.add(row.order_id);
    return paid.has(orderId);
  }

  add(payment: Payment): void {
    this.paidInTransaction().add(payment.orderId);
    this.unitOfWork.write(NEW_PAYMENTS, payment);
  }

  /** The payment, locked until the transaction ends, so its refunds run one at a time. */
  async lock(id: string): Promise<Payment | null> {
    const { rows } = await this.unitOfWork.query<PaymentRow>({
      name: 'payments-lock',
      text: `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = $1 FOR UPDATE`,
      values: [id],
    });
    return rows[0] ? { ...rows[0], amount: Number(rows[0].amount) } : null;
  }

  /** The refund, and its payment marked refunded. */
  refund(refund: Refund): void {
    this.unitOfWork.write(REFUNDED_PAYMENTS, refund);
    this.unitOfWork.write(REFUNDS, refund);
  }

  /** The refund of a payment, read in the transaction that holds the payment's lock. */
  async refundOf(paymentId: string): Promise<Refund | null> {
    const { rows } = await this.unitOfWork.query<Omit<Refund, 'amount'> & { amount: string }>({
      name: 'refunds-of-payment',
      text: `SELECT id, payment_id AS "paymentId", order_id AS "orderId", amount, currency, reason,
        created_at AS "createdAt" FROM refunds WHERE payment_id = $1`,
      values: [paymentId],
    });
    return rows[0] ? { ...rows[0], amount: Number(rows[0].amount) } : null;
  }

  async findById(id: string): Promise<Payment | null> {
    return this.dataSource.manager.findOneBy(PaymentEntity, { id });
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    return this.dataSource.manager.findOneBy(PaymentEntity, { orderId });
  }

  async refundsOf(paymentIds: readonly string[]): Promise<Refund[]> {
    if (paymentIds.length === 0) return [];
    return this.dataSource.manager
      .createQueryBuilder(RefundEntity, 'r')
      .where('r.payment_id = ANY(:ids)', { ids: paymentIds })
      .getMany();
  }

  /** The orders this transaction knows to have their payment. */
  private paidInTransaction(): Set<string> {
    return this.unitOfWork.kept(this, () => new Set<string>());
  }
}
