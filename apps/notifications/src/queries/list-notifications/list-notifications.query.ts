import { Query } from '@nestjs/cqrs';
import type { Notification } from '../../domain/notification.js';

export class ListNotificationsQuery extends Query<Notification[]> {
  constructor(
    readonly filter: { readonly orderId?: string; readonly customerId?: string },
    readonly limit: number,
  ) {
    super();
  }
}
