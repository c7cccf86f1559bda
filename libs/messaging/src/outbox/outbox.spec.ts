import { describe, expect, it } from 'vitest';
import { ContractViolation, ProcessPayment } from '@app/contracts';
import type { UnitOfWork } from '@app/transactions';
import { RefundPaymentV2ConsumersFirst } from '../../../contracts/test/refund-payment-v2.js';
import type { OutboxRelay, OutboxRow } from './outbox-relay.js';
import { TransactionalOutbox } from './outbox.js';
import { CommandSignatures } from '../signing/command-signatures.js';

const orderId = '4a1e8f0e-5b7c-4d7e-9a4b-1f2e3d4c5b6a';
const payment = {
  orderId,
  customerId: '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  amount: 1999,
  currency: 'EUR',
};

/** A transaction that keeps the rows written in it. */
function aTransaction() {
  const written: OutboxRow[] = [];
  const kept = new Map<object, unknown>();
  const unitOfWork = {
    cause: { correlationId: orderId, causationId: 'cause-1', traceparent: undefined },
    write: (_table: unknown, row: OutboxRow) => written.push(row),
    kept: <T>(owner: object, create: () => T): T => {
      if (!kept.has(owner)) kept.set(owner, create());
      return kept.get(owner) as T;
    },
    afterCommit: () => undefined,
  } as unknown as UnitOfWork;
  return {
    outbox: new TransactionalOutbox(
      unitOfWork,
      {} as OutboxRelay,
      new CommandSignatures('orders', {}),
    ),
    written,
  };
}

describe('the outbox', () => {
  it('records a message with the version it sends, in the row that waits to be published', async () => {
    const { outbox, written } = aTransaction();

    await outbox.send(ProcessPayment, payment);
    await outbox.send(RefundPaymentV2ConsumersFirst, {
      orderId,
      paymentId: '7c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f',
      amount: 1,
      currency: 'EUR',
      reason: 'broken',
    });

    expect(written.map((row) => row.headers['message-version'])).toEqual(['1', '1']);
    expect(JSON.parse(written[0]!.payload)).toEqual(payment);
  });

  it('refuses a field outside the contract before the row exists, naming the message and the field', async () => {
    const { outbox, written } = aTransaction();
    const newer = { ...payment, loyaltyTier: 'gold' } as typeof payment;

    const sending = outbox.send(ProcessPayment, newer);

    await expect(sending).rejects.toThrow(ContractViolation);
    await expect(sending).rejects.toThrow(
      'ProcessPayment (version 1) cannot be sent: loyaltyTier: not in the contract',
    );
    expect(written).toEqual([]);
  });
});
