import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from '@app/messaging';
import type { Transactions, UnitOfWork } from '@app/transactions';
import { MigratedDatabase } from '../../../../test/support/migrated-database.js';
import { OrderStatus, placeOrder, type Order } from '../domain/order.js';
import { ordersMigrations } from './migrations/orders-migrations.js';
import type { HistoryEntry } from '../domain/order-store.js';
import { OrderRepository } from './order.repository.js';

describe(OrderRepository.name, () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let unitOfWork: UnitOfWork;
  let orders: OrderRepository;

  beforeAll(async () => {
    db = await MigratedDatabase.create('orders', {
      migrations: [...messagingMigrations, ...ordersMigrations],
    });
    ({ transactions, unitOfWork } = db.transactions());
    orders = new OrderRepository(unitOfWork, db.dataSource);
  });

  afterAll(() => db?.dispose());

  function newOrder(): Order {
    return placeOrder(
      {
        id: randomUUID(),
        customerId: randomUUID(),
        currency: 'EUR',
        items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1_250 }],
        address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      },
      new Date(),
    ).order;
  }

  function entry(order: Order, from: string | null, to: string | null, type: string) {
    return {
      orderId: order.id,
      from: from as HistoryEntry['from'],
      to: to as HistoryEntry['to'],
      messageType: type,
      messageId: randomUUID(),
      ignored: to === null,
      note: to === null ? 'nothing to do' : null,
      at: new Date(),
    } satisfies HistoryEntry;
  }

  const steps = async (order: Order) =>
    (await orders.history(order.id)).map((step) => [step.messageType, step.to]);

  it('writes what a transaction placed and advanced when it commits: each order as it last left it, every step in order', async () => {
    const kept = newOrder();
    const moved = newOrder();
    const paid = {
      ...moved,
      status: OrderStatus.Paid,
      paymentId: randomUUID(),
      deadlineAt: new Date('2030-01-01T00:00:00Z'),
    };
    const completed = {
      ...paid,
      status: OrderStatus.Completed,
      trackingNumber: 'TRK-1',
      deadlineAt: null,
    };

    await transactions.run(async () => {
      await orders.insert(
        kept,
        { key: 'key-1', requestHash: 'hash' },
        entry(kept, null, 'PENDING', 'PlaceOrder'),
      );
      await orders.insert(moved, null, entry(moved, null, 'PENDING', 'PlaceOrder'));
      // A step in the same transaction sees the order it placed.
      expect(await orders.lock(moved.id)).toEqual(moved);
      await orders.advance(paid, entry(moved, 'PENDING', 'PAID', 'PaymentCompleted'));
      await orders.appendHistory(entry(kept, 'PENDING', null, 'OrderShipped'));
      await orders.advance(completed, entry(moved, 'PAID', 'COMPLETED', 'OrderShipped'));
      // Nothing is written before the commit.
      const { rows } = await unitOfWork.query({
        text: 'SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])',
        values: [[kept.id, moved.id]],
      });
      expect(rows[0]).toEqual({ n: 0 });
    });

    expect(await orders.findById(kept.id)).toEqual(kept);
    expect(await orders.findById(moved.id)).toEqual(completed);
    const replayed = await transactions.run(() => orders.findByIdempotencyKey('key-1'));
    expect(replayed?.order).toEqual(kept);
    expect(await steps(moved)).toEqual([
      ['PlaceOrder', 'PENDING'],
      ['PaymentCompleted', 'PAID'],
      ['OrderShipped', 'COMPLETED'],
    ]);
    expect(await steps(kept)).toEqual([
      ['PlaceOrder', 'PENDING'],
      ['OrderShipped', null],
    ]);
  });

  it('advances the orders a later transaction locked, several in one statement', async () => {
    const first = newOrder();
    const second = newOrder();
    await transactions.run(async () => {
      await orders.insert(first, null, entry(first, null, 'PENDING', 'PlaceOrder'));
      await orders.insert(second, null, entry(second, null, 'PENDING', 'PlaceOrder'));
    });

    await transactions.run(async () => {
      for (const order of [first, second]) {
        const locked = await orders.lock(order.id);
        if (!locked) throw new Error(`order ${order.id} not found`);
        const cancelled = { ...locked, status: OrderStatus.Cancelled, cancelReason: 'declined' };
        await orders.advance(cancelled, entry(order, 'PENDING', 'CANCELLED', 'PaymentDeclined'));
      }
    });

    for (const order of [first, second]) {
      expect(await orders.findById(order.id)).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'declined',
      });
      expect(await steps(order)).toEqual([
        ['PlaceOrder', 'PENDING'],
        ['PaymentDeclined', 'CANCELLED'],
      ]);
    }
  });

  it('writes nothing of a transaction that rolls back', async () => {
    const order = newOrder();

    await expect(
      transactions.run(async () => {
        await orders.insert(order, null, entry(order, null, 'PENDING', 'PlaceOrder'));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    expect(await orders.findById(order.id)).toBeNull();
    expect(await orders.history(order.id)).toEqual([]);
  });
});
