import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PaymentRefunded } from '@app/contracts';
import { Outbox } from '@app/messaging';
import { Transactional } from '@app/transactions';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config.js';
import {
  PaymentNotFound,
  PaymentStatus,
  RefundNotPossible,
  type Payment,
} from '../../domain/payment.js';
import { PaymentRepository } from '../../persistence/payment.repository.js';
import { RefundPaymentCommand, type RefundPaymentOutcome } from './refund-payment.command.js';

/**
 * Runs in the transaction of the RefundPayment message: the refund and its
 * event commit together. A payment is refunded once, whatever the message id
 * that asks: the payment row is locked, and refunds has one row per payment.
 */
@CommandHandler(RefundPaymentCommand)
@Transactional()
export class RefundPaymentHandler implements ICommandHandler<
  RefundPaymentCommand,
  RefundPaymentOutcome
> {
  private readonly logger = new Logger(RefundPaymentHandler.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly outbox: Outbox,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async execute(command: RefundPaymentCommand): Promise<RefundPaymentOutcome> {
    const { orderId, paymentId, amount, currency, reason } = command;
    // Errors here are retried, then dead-lettered for an operator: a refund is never dropped silently.
    const payment = await this.payments.lock(paymentId);
    if (!payment) throw new PaymentNotFound(paymentId);
    if (payment.orderId !== orderId) {
      throw new RefundNotPossible(
        `payment ${paymentId} belongs to order ${payment.orderId}, not ${orderId}`,
      );
    }
    if (payment.status === PaymentStatus.Refunded) return this.confirmAgain(payment);
    if (payment.status !== PaymentStatus.Completed) {
      throw new RefundNotPossible(`payment ${paymentId} is ${payment.status}: nothing was charged`);
    }
    if (amount > payment.amount || currency !== payment.currency) {
      throw new RefundNotPossible(
        `cannot refund ${amount} ${currency} of a payment of ${payment.amount} ${payment.currency}`,
      );
    }
    if (this.config.PAYMENTS_PROVIDER_LATENCY_MS > 0)
      await sleep(this.config.PAYMENTS_PROVIDER_LATENCY_MS);

    const now = new Date();
    this.payments.refund({
      id: randomUUID(),
      paymentId,
      orderId,
      amount,
      currency,
      reason,
      createdAt: now,
    });
    await this.outbox.publish(PaymentRefunded, { orderId, paymentId, amount, currency });
    this.logger.log(
      `order ${orderId}: refunded ${amount} ${currency} of payment ${paymentId} (${reason})`,
    );
    return 'refunded';
  }

  /**
   * Orders asks again when its answer did not come back in time: the money
   * moved once, so the answer is the refund already made, told once more.
   */
  private async confirmAgain(payment: Payment): Promise<RefundPaymentOutcome> {
    const refund = await this.payments.refundOf(payment.id);
    if (!refund) throw new RefundNotPossible(`payment ${payment.id} is refunded without a refund`);
    const { orderId, paymentId, amount, currency } = refund;
    await this.outbox.publish(PaymentRefunded, { orderId, paymentId, amount, currency });
    this.logger.warn(
      `order ${orderId}: payment ${paymentId} is already refunded; PaymentRefunded sent again`,
    );
    return 'already-refunded';
  }
}
