import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childTraceparent } from '@app/contracts';
import { messagingMigrations, Outbox } from '@app/messaging';
import { PIPELINED_CONNECTIONS, TransactionsModule } from '@app/transactions';
import { OutboxRelay } from '../../../libs/messaging/src/outbox/outbox-relay.js';
import { TransactionalOutbox } from '../../../libs/messaging/src/outbox/outbox.js';
import { CommandSignatures } from '../../../libs/messaging/src/signing/command-signatures.js';
import { MigratedDatabase } from '../../../test/support/migrated-database.js';
import { PlaceOrderCommand } from '../src/commands/place-order/place-order.command.js';
import { PlaceOrderHandler } from '../src/commands/place-order/place-order.handler.js';
import { ORDERS_CONFIG, readOrdersConfig } from '../src/config.js';
import { IdempotencyKeyReused } from '../src/domain/order-errors.js';
import { OrderStore } from '../src/domain/order-store.js';
import { ordersMigrations } from '../src/persistence/migrations/orders-migrations.js';
import { OrderRepository } from '../src/persistence/order.repository.js';

const anOrderRequest = (quantity = 1) => ({
  customerId: randomUUID(),
  currency: 'EUR',
  items: [{ sku: 'SKU-1', quantity, unitPrice: 1_000 }],
  address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
});

/**
 * Placing orders with an Idempotency-Key on a real PostgreSQL, with a pool of
 * one connection: the smallest pool shows work that holds a connection while
 * it waits for another, which would hang every pool once all are held.
 */
describe('placing orders with an Idempotency-Key', () => {
  let db: MigratedDatabase;
  let app: INestApplicationContext;

  beforeEach(async () => {
    db = await MigratedDatabase.create('orders', {
      migrations: [...messagingMigrations, ...ordersMigrations],
    });
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: db.database.url,
          extra: { ...PIPELINED_CONNECTIONS, max: 1 },
        }),
        TransactionsModule.forRoot({ lanes: 1, maxGroup: 8 }),
        CqrsModule.forRoot(),
      ],
      providers: [
        { provide: ORDERS_CONFIG, useValue: readOrdersConfig({}) },
        OrderRepository,
        { provide: OrderStore, useExisting: OrderRepository },
        PlaceOrderHandler,
        { provide: Outbox, useClass: TransactionalOutbox },
        { provide: OutboxRelay, useValue: { enqueue: () => undefined } },
        { provide: CommandSignatures, useValue: new CommandSignatures('orders', {}) },
      ],
    })
    class PlaceOrderModule {}
    app = await NestFactory.createApplicationContext(PlaceOrderModule, { logger: false });
  });

  afterEach(async () => {
    await app?.close();
    await db?.dispose();
  });

  const place = (request: ReturnType<typeof anOrderRequest>, key: string) =>
    app.get(CommandBus).execute(
      new PlaceOrderCommand(request, key, {
        causationId: randomUUID(),
        traceparent: childTraceparent(),
      }),
    );

  /** Fails instead of waiting for the test's timeout when the work never ends. */
  const within = <T>(ms: number, work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms),
      ),
    ]);

  it('answers requests with one key that arrive at once with one order, even with one connection', async () => {
    const request = anOrderRequest();
    const key = randomUUID();

    const results = await within(
      10_000,
      Promise.all(Array.from({ length: 5 }, () => place(request, key))),
    );

    expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(4);
    const [row] = await db.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders WHERE idempotency_key = $1',
      [key],
    );
    expect(row?.n).toBe(1);
  });

  it('refuses a key reused with another body, and places nothing more', async () => {
    const key = randomUUID();
    await place(anOrderRequest(), key);

    await expect(within(10_000, place(anOrderRequest(2), key))).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
    const [row] = await db.database.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(row?.n).toBe(1);
  });
});
