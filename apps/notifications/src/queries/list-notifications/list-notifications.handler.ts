import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Notification } from '../../domain/notification.js';
import { NotificationRepository } from '../../persistence/notification.repository.js';
import { ListNotificationsQuery } from './list-notifications.query.js';

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<
  ListNotificationsQuery,
  Notification[]
> {
  constructor(private readonly notifications: NotificationRepository) {}

  execute({ filter, limit }: ListNotificationsQuery): Promise<Notification[]> {
    return this.notifications.find(filter, limit);
  }
}
