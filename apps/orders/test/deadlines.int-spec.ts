import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { OrderCancelled } from '@app/contracts';
import { messagingMigrations, Outbox } from '@app/messaging';
import {
  PIPELINED_CONNECTIONS,
  TransactionsModule,
  type Transactions,
  type UnitOfWork,
} from '@app/transactions';
import { OutboxRelay } from '../../../libs/messaging/src/outbox/outbox-relay.js';
import { TransactionalOutbox } from '../../../libs/messaging/src/outbox/outbox.js';
import { CommandSignatures } from '../../../libs/messaging/src/signing/command-signatures.js';
import { eventually, sleep } from '../../../test/support/eventually.js';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';
import { AdvanceOrderSagaCommand } from '../src/commands/advance-order-saga/advance-order-saga.command.js';
import { AdvanceOrderSagaHandler } from '../src/commands/advance-order-saga/advance-order-saga.handler.js';
import { DeadlineSweeper } from '../src/commands/expire-overdue-order/deadline-sweeper.js';
import { ExpireOverdueOrderCommand } from '../src/commands/expire-overdue-order/expire-overdue-order.command.js';
import { ExpireOverdueOrderHandler } from '../src/commands/expire-overdue-order/expire-overdue-order.handler.js';
import { ORDERS_CONFIG, readOrdersConfig } from '../src/config.js';
import { OrderStatus, placeOrder, type Order } from '../src/domain/order.js';
import { OrderStore } from '../src/domain/order-store.js';
import { ordersMigrations } from '../src/persistence/migrations/orders-migrations.js';
import { OrderRepository } from '../src/persistence/order.repository.js';

const SWEEP_MS = 50;
const config = readOrdersConfig({
  ORDERS_DEADLINE_SWEEP_MS: String(SWEEP_MS),
  ORDERS_PAYMENT_TIMEOUT_MS: '60000',
});

/**
 * The orders app's deadlines on a real PostgreSQL: its handlers, its
 * repository and the real outbox, which records in the transaction; only the
 * relay, which would publish after commit, is left out.
 */
describe('order deadlines', () => {
  let db: MigratedDatabase;
  let app: INestApplicationContext;
  /** The test's own view of the database, to place orders and read them back. */
  let seeding: { transactions: Transactions; unitOfWork: UnitOfWork; orders: OrderRepository };

  beforeEach(async () => {
    db = await MigratedDatabase.create('orders', {
      migrations: [...messagingMigrations, ...ordersMigrations],
    });
    const { transactions, unitOfWork } = db.transactions();
    seeding = { transactions, unitOfWork, orders: new OrderRepository(unitOfWork, db.dataSource) };
    // The sweeper is left out: each test decides whether one runs.
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: db.database.url,
          extra: PIPELINED_CONNECTIONS,
        }),
        TransactionsModule.forRoot({ lanes: 2, maxGroup: 8 }),
        CqrsModule.forRoot(),
      ],
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        OrderRepository,
        { provide: OrderStore, useExisting: OrderRepository },
        AdvanceOrderSagaHandler,
        ExpireOverdueOrderHandler,
        { provide: Outbox, useClass: TransactionalOutbox },
        { provide: OutboxRelay, useValue: { enqueue: () => undefined } },
        { provide: CommandSignatures, useValue: new CommandSignatures('orders', {}) },
      ],
    })
    class OrderDeadlinesModule {}
    app = await NestFactory.createApplicationContext(OrderDeadlinesModule, { logger: false });
  });

  afterEach(async () => {
    await app?.close();
    await db?.dispose();
  });

  /** A PENDING order whose payment deadline is `dueInMs` from now (negative: overdue). */
  async function pendingOrder(dueInMs: number): Promise<Order> {
    const { order } = placeOrder(
      {
        id: randomUUID(),
        customerId: randomUUID(),
        currency: 'EUR',
        items: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1_000 }],
        address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      },
      new Date(),
      new Date(Date.now() + dueInMs),
    );
    await seeding.transactions.run(() =>
      seeding.orders.insert(order, null, {
        orderId: order.id,
        from: null,
        to: OrderStatus.Pending,
        messageType: 'PlaceOrder',
        messageId: randomUUID(),
        ignored: false,
        note: null,
        at: new Date(),
      }),
    );
    return order;
  }

  /** A REFUNDING order that sent its first RefundPayment, its refund deadline passed. */
  async function overdueRefund(): Promise<Order> {
    const placed = await pendingOrder(60_000);
    const refunding: Order = {
      ...placed,
      status: OrderStatus.Refunding,
      paymentId: randomUUID(),
      cancelReason: 'shipping timeout',
      refundAttempts: 1,
      deadlineAt: new Date(Date.now() - 1_000),
    };
    await seeding.transactions.run(() =>
      seeding.orders.advance(refunding, {
        orderId: refunding.id,
        from: OrderStatus.Pending,
        to: OrderStatus.Refunding,
        messageType: 'ShippingDeadlinePassed',
        messageId: randomUUID(),
        ignored: false,
        note: null,
        at: new Date(),
      }),
    );
    return refunding;
  }

  const makeOverdue = (order: Order) =>
    db.database.query(`UPDATE orders SET deadline_at = now() - interval '1 second' WHERE id = $1`, [
      order.id,
    ]);

  const stateOf = async (order: Order) =>
    db.database.query<{ status: string; cancel_reason: string | null; overdue: boolean | null }>(
      `SELECT status, cancel_reason, deadline_at <= now() AS overdue FROM orders WHERE id = $1`,
      [order.id],
    );

  /** The messages committed to the outbox about an order. */
  const recordedFor = async (order: Order) =>
    (
      await db.database.query<{ headers: Record<string, string>; payload: string }>(
        `SELECT headers, payload FROM outbox WHERE headers->>'correlation-id' = $1 ORDER BY position`,
        [order.id],
      )
    ).map((row) => ({ type: row.headers['message-type'], payload: JSON.parse(row.payload) }));

  function startSweeper(): DeadlineSweeper {
    const sweeper = new DeadlineSweeper(app.get(CommandBus), config);
    sweeper.onApplicationBootstrap();
    // Not a provider of the context: stopped here, whatever the test did.
    onTestFinished(() => sweeper.beforeApplicationShutdown());
    return sweeper;
  }

  it('cancels an overdue PENDING order for "payment timeout" and records OrderCancelled in the same transaction', async () => {
    const overdue = await pendingOrder(-1_000);

    expect(await app.get(CommandBus).execute(new ExpireOverdueOrderCommand())).toBe(true);

    expect(await stateOf(overdue)).toEqual([
      { status: 'CANCELLED', cancel_reason: 'payment timeout', overdue: null },
    ]);
    expect(await recordedFor(overdue)).toEqual([
      {
        type: OrderCancelled.name,
        payload: {
          orderId: overdue.id,
          customerId: overdue.customerId,
          reason: 'payment timeout',
        },
      },
    ]);
    expect((await seeding.orders.history(overdue.id)).map((step) => step.to)).toEqual([
      'PENDING',
      'CANCELLED',
    ]);
    // Nothing else is overdue: the next sweep finds nothing to move.
    expect(await app.get(CommandBus).execute(new ExpireOverdueOrderCommand())).toBe(false);
  });

  it('sweeps overdue orders on its own, and leaves an order whose deadline has not come', async () => {
    const overdue = await pendingOrder(-1_000);
    const notYetDue = await pendingOrder(60_000);
    startSweeper();

    await eventually(async () =>
      expect(await stateOf(overdue)).toEqual([
        { status: 'CANCELLED', cancel_reason: 'payment timeout', overdue: null },
      ]),
    );
    // Several sweeps later, still as it was placed.
    await sleep(SWEEP_MS * 5);
    expect(await stateOf(notYetDue)).toEqual([
      { status: 'PENDING', cancel_reason: null, overdue: false },
    ]);
    expect(await recordedFor(notYetDue)).toEqual([]);
  });

  it('moves nothing while no sweeper runs: not started, or stopped', async () => {
    const first = await pendingOrder(-1_000);

    // No sweeper started: the order stays overdue, untouched.
    await sleep(SWEEP_MS * 5);
    expect(await stateOf(first)).toEqual([
      { status: 'PENDING', cancel_reason: null, overdue: true },
    ]);

    // The same order is moved once a sweeper runs; a stopped one moves no more.
    const sweeper = startSweeper();
    await eventually(async () =>
      expect(await stateOf(first)).toMatchObject([{ status: 'CANCELLED' }]),
    );
    await sweeper.beforeApplicationShutdown();
    const second = await pendingOrder(-1_000);
    await sleep(SWEEP_MS * 5);
    expect(await stateOf(second)).toEqual([
      { status: 'PENDING', cancel_reason: null, overdue: true },
    ]);
    expect(await recordedFor(second)).toEqual([]);
  });

  it('asks again for an overdue refund until its attempts are spent, then parks the order with no deadline', async () => {
    const order = await overdueRefund();
    const expire = () => app.get(CommandBus).execute(new ExpireOverdueOrderCommand());

    // Attempts 2 and 3 of the default 3, each waiting anew.
    for (const attempt of [2, 3]) {
      expect(await expire()).toBe(true);
      expect(await stateOf(order)).toEqual([
        { status: 'REFUNDING', cancel_reason: 'shipping timeout', overdue: false },
      ]);
      expect((await seeding.orders.findById(order.id))?.refundAttempts).toBe(attempt);
      await makeOverdue(order);
    }
    const refundsSent = (await recordedFor(order)).filter((m) => m.type === 'RefundPayment');
    expect(refundsSent.map((m) => m.payload)).toEqual([
      {
        orderId: order.id,
        paymentId: order.paymentId,
        amount: 1_000,
        currency: 'EUR',
        reason: 'shipping timeout',
      },
      {
        orderId: order.id,
        paymentId: order.paymentId,
        amount: 1_000,
        currency: 'EUR',
        reason: 'shipping timeout',
      },
    ]);

    expect(await expire()).toBe(true);
    expect(await stateOf(order)).toEqual([
      { status: 'REFUND_STALLED', cancel_reason: 'shipping timeout', overdue: null },
    ]);
    expect((await seeding.orders.history(order.id)).at(-1)).toMatchObject({
      from: 'REFUNDING',
      to: 'REFUND_STALLED',
      messageType: 'RefundAttemptsExhausted',
      note: 'no PaymentRefunded after 3 RefundPayment(s): refund by hand',
    });
    expect(await recordedFor(order)).toHaveLength(2);
    expect(await seeding.orders.countInStatus(OrderStatus.RefundStalled)).toBe(1);
    // Parked, it waits for a person: the sweeper finds nothing more to do with it.
    expect(await expire()).toBe(false);
  });

  it('waits for the refund of a late charge as for any refund: asked again when overdue, then the order parked, and ended CANCELLED without a second OrderCancelled when it comes', async () => {
    const order = await pendingOrder(-1_000);
    const bus = app.get(CommandBus);
    const expire = () => bus.execute(new ExpireOverdueOrderCommand());
    const paymentId = randomUUID();
    expect(await expire()).toBe(true);
    const late = { type: 'PaymentCompleted', paymentId, amount: 1_000, currency: 'EUR' } as const;
    await bus.execute(new AdvanceOrderSagaCommand(order.id, late, randomUUID()));
    expect(await stateOf(order)).toEqual([
      { status: 'CANCELLED', cancel_reason: 'payment timeout', overdue: false },
    ]);

    for (const attempt of [2, 3]) {
      await makeOverdue(order);
      expect(await expire()).toBe(true);
      expect((await seeding.orders.findById(order.id))?.refundAttempts).toBe(attempt);
    }
    await makeOverdue(order);
    expect(await expire()).toBe(true);
    expect(await stateOf(order)).toEqual([
      { status: 'REFUND_STALLED', cancel_reason: 'payment timeout', overdue: null },
    ]);
    const refund = { orderId: order.id, paymentId, amount: 1_000, currency: 'EUR' };
    expect(await recordedFor(order)).toEqual([
      { type: 'OrderCancelled', payload: expect.objectContaining({ reason: 'payment timeout' }) },
      ...[1, 2, 3].map(() => ({
        type: 'RefundPayment',
        payload: { ...refund, reason: 'order cancelled before the payment arrived' },
      })),
    ]);

    const refunded = {
      type: 'PaymentRefunded',
      paymentId,
      amount: 1_000,
      currency: 'EUR',
    } as const;
    await bus.execute(new AdvanceOrderSagaCommand(order.id, refunded, randomUUID()));
    expect(await stateOf(order)).toEqual([
      { status: 'CANCELLED', cancel_reason: 'payment timeout', overdue: null },
    ]);
    // The customer heard of the cancellation once, when it happened.
    expect((await recordedFor(order)).filter((m) => m.type === 'OrderCancelled')).toHaveLength(1);
    expect(await expire()).toBe(false);
  });
});
