import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from '@app/messaging';
import type { Transactions, UnitOfWork } from '@app/transactions';
import { MigratedDatabase } from '../../../../test/support/migrated-database.js';
import type { Notification } from '../domain/notification.js';
import { NotificationsTables1764300300000 } from './migrations/1764300300000-notifications-tables.migration.js';
import { NotificationEntity } from './notification.entity.js';
import { NotificationRepository, type Sent } from './notification.repository.js';

describe(NotificationRepository.name, () => {
  let db: MigratedDatabase;
  let transactions: Transactions;
  let unitOfWork: UnitOfWork;
  let notifications: NotificationRepository;

  beforeAll(async () => {
    db = await MigratedDatabase.create('notifications', {
      entities: [NotificationEntity],
      migrations: [...messagingMigrations, NotificationsTables1764300300000],
    });
    ({ transactions, unitOfWork } = db.transactions());
    notifications = new NotificationRepository(db.dataSource, unitOfWork);
  });

  afterAll(() => db?.dispose());

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

  /** Records the notifications in one transaction; what each came to once it committed. */
  async function recordTogether(
    ...batch: { notification: Notification; remembersCustomer?: boolean }[]
  ): Promise<(Sent | false)[]> {
    let outcomes: Promise<Sent | false>[] = [];
    await transactions.run(async () => {
      outcomes = batch.map(({ notification, remembersCustomer = false }) =>
        notifications.record(notification, { remembersCustomer }),
      );
    });
    return Promise.all(outcomes);
  }

  it("fills in the customer of the notifications that came before the order's OrderPlaced, and of those after", async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();

    const [early] = await recordTogether({
      notification: notification(orderId, 'OrderShipped', null),
    });
    const [placed] = await recordTogether({
      notification: notification(orderId, 'OrderPlaced', customerId),
      remembersCustomer: true,
    });
    const [late] = await recordTogether({
      notification: notification(orderId, 'OrderCompleted', null),
    });

    expect([early, placed, late]).toEqual([{ customerId: null }, { customerId }, { customerId }]);
    const stored = await notifications.find({ orderId }, 10);
    expect(stored.map((row) => [row.eventType, row.customerId])).toEqual([
      ['OrderShipped', customerId],
      ['OrderPlaced', customerId],
      ['OrderCompleted', customerId],
    ]);
  });

  it("writes a transaction's notifications together, in the order recorded, with the customer named by an OrderPlaced among them", async () => {
    const orderId = randomUUID();
    const other = randomUUID();
    const customerId = randomUUID();
    const otherCustomer = randomUUID();

    const outcomes = await recordTogether(
      { notification: notification(orderId, 'OrderShipped', null) },
      { notification: notification(other, 'OrderPlaced', otherCustomer), remembersCustomer: true },
      { notification: notification(orderId, 'OrderPlaced', customerId), remembersCustomer: true },
      { notification: notification(orderId, 'OrderCompleted', null) },
    );

    expect(outcomes).toEqual([
      { customerId },
      { customerId: otherCustomer },
      { customerId },
      { customerId },
    ]);
    const stored = await notifications.find({ orderId }, 10);
    expect(stored.map((row) => [row.eventType, row.customerId])).toEqual([
      ['OrderShipped', customerId],
      ['OrderPlaced', customerId],
      ['OrderCompleted', customerId],
    ]);
  });

  it('records one notification per event: the same message again is refused, in a later transaction or the same one', async () => {
    const orderId = randomUUID();
    const first = notification(orderId, 'OrderCancelled', randomUUID());
    const again = { ...first, id: randomUUID() };

    const [recorded] = await recordTogether({ notification: first });
    const refused = await recordTogether(
      { notification: again },
      { notification: { ...first, id: randomUUID() } },
    );

    expect([recorded, ...refused]).toEqual([{ customerId: first.customerId }, false, false]);
    expect(await notifications.find({ orderId }, 10)).toHaveLength(1);
  });

  it('tells nothing of a notification whose transaction rolled back, and keeps none of it', async () => {
    const orderId = randomUUID();
    let told = false;

    await expect(
      transactions.run(async () => {
        void notifications
          .record(notification(orderId, 'OrderShipped', null), { remembersCustomer: false })
          .then(() => (told = true));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told).toBe(false);
    expect(await notifications.find({ orderId }, 10)).toHaveLength(0);
  });
});
