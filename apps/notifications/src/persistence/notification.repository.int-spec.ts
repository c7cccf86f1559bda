import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations, UnitOfWork } from '@app/messaging';
import { TestDatabase } from '../../../../test/support/test-database.js';
import type { Notification } from '../domain/notification.js';
import { NotificationsTables1764300300000 } from './migrations/1764300300000-notifications-tables.migration.js';
import { NotificationEntity } from './notification.entity.js';
import { NotificationRepository } from './notification.repository.js';

describe(NotificationRepository.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let notifications: NotificationRepository;

  beforeAll(async () => {
    database = await TestDatabase.create('notifications');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [NotificationEntity],
      migrations: [...messagingMigrations, NotificationsTables1764300300000],
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    unitOfWork = new UnitOfWork(dataSource);
    notifications = new NotificationRepository(dataSource, unitOfWork);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  function notification(orderId: string, eventType: string, customerId: string | null) {
    return {
      id: randomUUID(),
      messageId: randomUUID(),
      eventType,
      orderId,
      customerId,
      channel: 'email',
      subject: eventType,
      body: `${eventType} of ${orderId}`,
      createdAt: new Date(),
    } satisfies Notification;
  }

  it("fills in the customer of the notifications that came before the order's OrderPlaced, and of those after", async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();

    const early = await unitOfWork.run(() =>
      notifications.insertIfFirst(notification(orderId, 'OrderShipped', null)),
    );
    const placed = await unitOfWork.run(() =>
      notifications.insertIfFirstRemembering({
        ...notification(orderId, 'OrderPlaced', customerId),
        customerId,
      }),
    );
    const late = await unitOfWork.run(() =>
      notifications.insertIfFirst(notification(orderId, 'OrderCompleted', null)),
    );

    expect([early, placed, late]).toEqual([{ customerId: null }, { customerId }, { customerId }]);
    const stored = await notifications.find({ orderId }, 10);
    expect(stored.map((row) => [row.eventType, row.customerId])).toEqual([
      ['OrderShipped', customerId],
      ['OrderPlaced', customerId],
      ['OrderCompleted', customerId],
    ]);
  });

  it('records one notification per event: the same message again is refused', async () => {
    const orderId = randomUUID();
    const first = notification(orderId, 'OrderCancelled', randomUUID());
    const again = { ...first, id: randomUUID() };

    const results = [
      await unitOfWork.run(() => notifications.insertIfFirst(first)),
      await unitOfWork.run(() => notifications.insertIfFirst(again)),
    ];

    expect(results).toEqual([{ customerId: first.customerId }, false]);
    expect(await notifications.find({ orderId }, 10)).toHaveLength(1);
  });
});
