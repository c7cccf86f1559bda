import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpApiModule } from '@app/http-api';
import { PlatformModule } from '@app/runtime';
import { NotifyCustomerHandler } from './commands/notify-customer/notify-customer.handler.js';
import { NOTIFICATIONS_APP, type NotificationsConfig } from './config.js';
import { NotificationsController } from './http/notifications.controller.js';
import { CustomerEventsController } from './messages/customer-events.controller.js';
import { NotificationsTables1764300300000 } from './persistence/migrations/1764300300000-notifications-tables.migration.js';
import { NotificationEntity } from './persistence/notification.entity.js';
import { NotificationRepository } from './persistence/notification.repository.js';
import { OrderRecipientEntity } from './persistence/order-recipient.entity.js';
import { ListNotificationsHandler } from './queries/list-notifications/list-notifications.handler.js';

@Module({})
export class NotificationsModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        PlatformModule.forRoot({
          app: NOTIFICATIONS_APP,
          env: config,
          entities: [NotificationEntity, OrderRecipientEntity],
          migrations: [NotificationsTables1764300300000],
        }),
        CqrsModule.forRoot(),
        HttpApiModule.forApp({
          title: 'notifications',
          customerAuth: config,
          description: 'One notification per customer-facing event, as a customer would get it.',
          errorStatuses: {},
        }),
      ],
      controllers: [NotificationsController, CustomerEventsController],
      providers: [NotificationRepository, NotifyCustomerHandler, ListNotificationsHandler],
    };
  }
}
