import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from '@app/messaging';
import type { Transactions, UnitOfWork } from '@app/transactions';
import { MigratedDatabase } from '../../../../test/support/migrated-database.js';
import { PaymentStatus, type Payment } from '../domain/payment.js';
import { PaymentsTables1764300100000 } from './migrations/1764300100000-payments-tables.migration.js';
import { PaymentEntity } from './payment.entity.js';
import { PaymentRepository } from './payment.repository.js';
import { RefundEntity } from './refund.entity.js';

describe(PaymentRepository.name, () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let unitOfWork: UnitOfWork;
  let payments: PaymentRepository;

  beforeAll(async () => {
    db = await MigratedDatabase.create('payments', {
      entities: [PaymentEntity, RefundEntity],
      migrations: [...messagingMigrations, PaymentsTables1764300100000],
    });
    ({ transactions, unitOfWork } = db.transactions());
    payments = new PaymentRepository(unitOfWork, db.dataSource);
  });

  afterAll(() => db?.dispose());

  function payment(orderId: string = randomUUID()): Payment {
    const now = new Date();
    return {
      id: randomUUID(),
      orderId,
      customerId: randomUUID(),
      amount: 2_500,
      currency: 'EUR',
      status: PaymentStatus.Completed,
      declineReason: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  it('knows the payments stored and those added in the transaction, and writes the added ones when it commits', async () => {
    const stored = payment();
    const added = [payment(), payment()];
    await transactions.run(async () => payments.add(stored));

    const seen = await transactions.run(async () => {
      const before = await payments.hasPayment(added[0]!.orderId);
      for (const one of added) payments.add(one);
      return [
        before,
        await payments.hasPayment(stored.orderId),
        await payments.hasPayment(added[1]!.orderId),
      ];
    });

    expect(seen).toEqual([false, true, true]);
    for (const one of [stored, ...added]) {
      expect(await payments.findByOrderId(one.orderId)).toMatchObject({
        id: one.id,
        amount: 2_500,
      });
    }
  });

  it('fails the transaction that adds a second payment for an order, and keeps the first', async () => {
    const first = payment();
    const second = payment(first.orderId);
    await transactions.run(async () => payments.add(first));

    await expect(transactions.run(async () => payments.add(second))).rejects.toMatchObject({
      code: '23505',
    });

    expect(await payments.findByOrderId(first.orderId)).toMatchObject({ id: first.id });
  });
});
