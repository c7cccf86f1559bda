import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from '@app/messaging';
import type { Transactions, UnitOfWork } from '@app/transactions';
import { MigratedDatabase } from '../../../../test/support/migrated-database.js';
import { ShipmentStatus, type Shipment } from '../domain/shipment.js';
import { shippingMigrations } from './migrations/shipping-migrations.js';
import { ShipmentEntity } from './shipment.entity.js';
import { ShipmentRepository } from './shipment.repository.js';

describe(ShipmentRepository.name, () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let unitOfWork: UnitOfWork;
  let shipments: ShipmentRepository;

  beforeAll(async () => {
    db = await MigratedDatabase.create('shipping', {
      entities: [ShipmentEntity],
      migrations: [...messagingMigrations, ...shippingMigrations],
    });
    ({ transactions, unitOfWork } = db.transactions());
    shipments = new ShipmentRepository(unitOfWork, db.dataSource);
  });

  afterAll(() => db?.dispose());

  function shipment(orderId: string = randomUUID()): Shipment {
    return {
      id: randomUUID(),
      orderId,
      customerId: randomUUID(),
      status: ShipmentStatus.Shipped,
      items: [{ sku: 'SKU-1', quantity: 2 }],
      address: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      trackingNumber: `TRK-${orderId}`,
      failureReason: null,
      recallReason: null,
      recalledAt: null,
      createdAt: new Date(),
    };
  }

  it('knows the shipments stored and those added in the transaction, and writes the added ones when it commits', async () => {
    const stored = shipment();
    const added = [shipment(), shipment()];
    await transactions.run(async () => shipments.add(stored));

    const seen = await transactions.run(async () => {
      const before = await shipments.hasShipment(added[0]!.orderId);
      for (const one of added) shipments.add(one);
      return [
        before,
        await shipments.hasShipment(stored.orderId),
        await shipments.hasShipment(added[1]!.orderId),
      ];
    });

    expect(seen).toEqual([false, true, true]);
    for (const one of [stored, ...added]) {
      expect(await shipments.findByOrderId(one.orderId)).toMatchObject({
        id: one.id,
        items: one.items,
        address: one.address,
      });
    }
  });

  it('fails the transaction that adds a second shipment for an order, and keeps the first', async () => {
    const first = shipment();
    const second = shipment(first.orderId);
    await transactions.run(async () => shipments.add(first));

    await expect(transactions.run(async () => shipments.add(second))).rejects.toMatchObject({
      code: '23505',
    });

    expect(await shipments.findByOrderId(first.orderId)).toMatchObject({ id: first.id });
  });

  it('reads a shipment back locked, and records its recall when the transaction commits', async () => {
    const sent = shipment();
    await transactions.run(async () => shipments.add(sent));
    const recalledAt = new Date('2026-06-01T12:00:00Z');

    await transactions.run(async () => {
      const locked = await shipments.lock(sent.id);
      expect(locked).toMatchObject({ id: sent.id, status: 'SHIPPED', items: sent.items });
      if (!locked) return;
      shipments.recall({
        ...locked,
        status: ShipmentStatus.Recalled,
        recallReason: 'shipped after the order was cancelled',
        recalledAt,
      });
    });

    expect(await shipments.findById(sent.id)).toMatchObject({
      status: 'RECALLED',
      trackingNumber: sent.trackingNumber,
      recallReason: 'shipped after the order was cancelled',
      recalledAt,
    });
    expect(await transactions.run(() => shipments.lock(randomUUID()))).toBeNull();
  });
});
