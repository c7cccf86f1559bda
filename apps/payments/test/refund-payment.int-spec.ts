import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRefunded } from '@app/contracts';
import { messagingMigrations } from '@app/messaging';
import type { Transactions } from '@app/transactions';
import type { OutboxRelay } from '../../../libs/messaging/src/outbox/outbox-relay.js';
import { TransactionalOutbox } from '../../../libs/messaging/src/outbox/outbox.js';
import { CommandSignatures } from '../../../libs/messaging/src/signing/command-signatures.js';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';
import { RefundPaymentCommand } from '../src/commands/refund-payment/refund-payment.command.js';
import { RefundPaymentHandler } from '../src/commands/refund-payment/refund-payment.handler.js';
import { readPaymentsConfig } from '../src/config.js';
import { PaymentStatus, RefundNotPossible, type Payment } from '../src/domain/payment.js';
import { PaymentsTables1764300100000 } from '../src/persistence/migrations/1764300100000-payments-tables.migration.js';
import { PaymentEntity } from '../src/persistence/payment.entity.js';
import { PaymentRepository } from '../src/persistence/payment.repository.js';
import { RefundEntity } from '../src/persistence/refund.entity.js';

/**
 * A refund asked for more than once, as orders does when the answer is late:
 * each RefundPayment is a message of its own (another id, past the inbox), so
 * only the payment itself can make the second one harmless.
 */
describe(RefundPaymentHandler.name, () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let payments: PaymentRepository;
  let handler: RefundPaymentHandler;

  beforeAll(async () => {
    db = await MigratedDatabase.create('payments', {
      entities: [PaymentEntity, RefundEntity],
      migrations: [...messagingMigrations, PaymentsTables1764300100000],
    });
    const { transactions: boundary, unitOfWork } = db.transactions();
    transactions = boundary;
    payments = new PaymentRepository(unitOfWork, db.dataSource);
    // The relay would publish after commit: left out, the rows stay in the outbox to read.
    const outbox = new TransactionalOutbox(
      unitOfWork,
      { enqueue: () => undefined } as unknown as OutboxRelay,
      new CommandSignatures('payments', {}),
    );
    handler = new RefundPaymentHandler(payments, outbox, readPaymentsConfig({}));
  });

  afterAll(() => db?.dispose());

  async function aCompletedPayment(): Promise<Payment> {
    const now = new Date();
    const payment: Payment = {
      id: randomUUID(),
      orderId: randomUUID(),
      customerId: randomUUID(),
      amount: 2_500,
      currency: 'EUR',
      status: PaymentStatus.Completed,
      declineReason: null,
      createdAt: now,
      updatedAt: now,
    };
    await transactions.run(async () => payments.add(payment));
    return payment;
  }

  const refundOf = (payment: Payment) =>
    new RefundPaymentCommand(
      payment.orderId,
      payment.id,
      payment.amount,
      'EUR',
      'shipping timeout',
    );

  /** Each RefundPayment handled in a transaction of its own, as each message is. */
  const handle = (command: RefundPaymentCommand) =>
    transactions.run(() => handler.execute(command), {
      cause: { causationId: randomUUID(), correlationId: command.orderId },
    });

  async function refundsOf(payment: Payment) {
    return db.database.query<{ amount: string }>(
      'SELECT amount FROM refunds WHERE payment_id = $1',
      [payment.id],
    );
  }

  async function answersFor(payment: Payment) {
    const rows = await db.database.query<{ payload: string }>(
      `SELECT payload FROM outbox WHERE headers->>'message-type' = $1
         AND payload::jsonb->>'paymentId' = $2 ORDER BY position`,
      [PaymentRefunded.name, payment.id],
    );
    return rows.map((row) => JSON.parse(row.payload) as unknown);
  }

  it('pays a refund once when asked again, and answers each ask with the refund made', async () => {
    const payment = await aCompletedPayment();

    expect(await handle(refundOf(payment))).toBe('refunded');
    expect(await handle(refundOf(payment))).toBe('already-refunded');
    expect(await handle(refundOf(payment))).toBe('already-refunded');

    expect(await refundsOf(payment)).toEqual([{ amount: '2500' }]);
    expect((await payments.findById(payment.id))?.status).toBe('REFUNDED');
    const answer = {
      orderId: payment.orderId,
      paymentId: payment.id,
      amount: 2_500,
      currency: 'EUR',
    };
    expect(await answersFor(payment)).toEqual([answer, answer, answer]);
  });

  it('pays a refund once when two asks arrive at the same time', async () => {
    const payment = await aCompletedPayment();

    const outcomes = await Promise.all([handle(refundOf(payment)), handle(refundOf(payment))]);

    expect(outcomes.sort()).toEqual(['already-refunded', 'refunded']);
    expect(await refundsOf(payment)).toEqual([{ amount: '2500' }]);
  });

  it('refuses to refund a payment in the name of another order', async () => {
    const payment = await aCompletedPayment();
    const otherOrder = new RefundPaymentCommand(randomUUID(), payment.id, 2_500, 'EUR', 'late');

    await expect(handle(otherOrder)).rejects.toBeInstanceOf(RefundNotPossible);
    expect(await refundsOf(payment)).toEqual([]);
  });
});
