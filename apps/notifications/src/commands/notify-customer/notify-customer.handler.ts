import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { composeMessage, customerOf, type Notification } from '../../domain/notification.js';
import { NotificationRepository } from '../../persistence/notification.repository.js';
import { NotifyCustomerCommand } from './notify-customer.command.js';

/** Runs in the unit of work of the consumed event, so the inbox and the notification commit together. */
@CommandHandler(NotifyCustomerCommand)
export class NotifyCustomerHandler implements ICommandHandler<NotifyCustomerCommand, boolean> {
  private readonly logger = new Logger(NotifyCustomerHandler.name);

  constructor(private readonly notifications: NotificationRepository) {}

  async execute({ input, messageId }: NotifyCustomerCommand): Promise<boolean> {
    const orderId = input.event.orderId;
    const named = customerOf(input);
    const { subject, body } = composeMessage(input);
    const notification: Notification = {
      id: randomUUID(),
      messageId,
      eventType: input.type,
      orderId,
      customerId: named,
      channel: 'email',
      subject,
      body,
      createdAt: new Date(),
    };
    const sent =
      named && input.type === 'OrderPlaced'
        ? await this.notifications.insertIfFirstRemembering({ ...notification, customerId: named })
        : await this.notifications.insertIfFirst(notification);
    if (sent)
      this.logger.log(
        `order ${orderId}: notified ${sent.customerId ?? 'the customer (not known yet)'}: ${subject}`,
      );
    return sent !== false;
  }
}
