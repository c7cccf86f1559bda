import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PaymentCompleted, PaymentDeclined } from '@app/contracts';
import { Outbox } from '@app/messaging';
import { Transactional } from '@app/transactions';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config.js';
import { decideCharge, PaymentStatus, type Payment } from '../../domain/payment.js';
import { PaymentRepository } from '../../persistence/payment.repository.js';
import { ProcessPaymentCommand, type ProcessPaymentOutcome } from './process-payment.command.js';

/** Runs in the transaction of the ProcessPayment message: the charge and its event commit together. */
@CommandHandler(ProcessPaymentCommand)
@Transactional()
export class ProcessPaymentHandler implements ICommandHandler<
  ProcessPaymentCommand,
  ProcessPaymentOutcome
> {
  private readonly logger = new Logger(ProcessPaymentHandler.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly outbox: Outbox,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async execute(command: ProcessPaymentCommand): Promise<ProcessPaymentOutcome> {
    const { orderId, customerId, amount, currency } = command;
    if (await this.payments.hasPayment(orderId)) return this.alreadyProcessed(orderId);
    // The provider call is keyed by the order id, so a second ProcessPayment for
    // one order, racing this one, charges nothing more; the unique order id keeps
    // one payment row.
    if (this.config.PAYMENTS_PROVIDER_LATENCY_MS > 0)
      await sleep(this.config.PAYMENTS_PROVIDER_LATENCY_MS);

    const decision = decideCharge(amount, this.config.PAYMENTS_DECLINE_ABOVE);
    const now = new Date();
    const payment: Payment = {
      id: randomUUID(),
      orderId,
      customerId,
      amount,
      currency,
      status: decision.approved ? PaymentStatus.Completed : PaymentStatus.Declined,
      declineReason: decision.approved ? null : decision.reason,
      createdAt: now,
      updatedAt: now,
    };
    this.payments.add(payment);

    if (decision.approved) {
      await this.outbox.publish(PaymentCompleted, {
        orderId,
        paymentId: payment.id,
        amount,
        currency,
      });
      this.logger.log(`order ${orderId}: charged ${amount} ${currency} (payment ${payment.id})`);
      return 'completed';
    }
    await this.outbox.publish(PaymentDeclined, { orderId, customerId, reason: decision.reason });
    this.logger.log(`order ${orderId}: declined (${decision.reason})`);
    return 'declined';
  }

  private alreadyProcessed(orderId: string): ProcessPaymentOutcome {
    this.logger.warn(`order ${orderId} already has a payment: not charging it again`);
    return 'already-processed';
  }
}
