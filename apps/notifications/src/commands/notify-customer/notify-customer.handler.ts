import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '@app/transactions';
import { composeMessage, customerOf, type Notification } from '../../domain/notification.js';
import { NotificationRepository } from '../../persistence/notification.repository.js';
import { NotifyCustomerCommand } from './notify-customer.command.js';

/** Runs in the transaction of the consumed event, so the inbox and the notification commit together. */
@CommandHandler(NotifyCustomerCommand)
@Transactional()
export class NotifyCustomerHandler implements ICommandHandler<NotifyCustomerCommand> {
  private readonly logger = new Logger(NotifyCustomerHandler.name);

  constructor(private readonly notifications: NotificationRepository) {}

  async execute({ input, messageId }: NotifyCustomerCommand): Promise<void> {
    const orderId = input.event.orderId;
    const { subject, body } = composeMessage(input);
    const notification: Notification = {
      id: randomUUID(),
      messageId,
      eventType: input.type,
      orderId,
      customerId: customerOf(input),
      channel: 'email',
      subject,
      body,
      createdAt: new Date(),
    };
    // Written with the transaction's other notifications; sent once they have committed.
    void this.notifications
      .record(notification, { remembersCustomer: input.type === 'OrderPlaced' })
      .then((sent) => {
        if (!sent) return;
        const to = sent.customerId ?? 'the customer (not known yet)';
        this.logger.log(`order ${orderId}: notified ${to}: ${subject}`);
      });
  }
}
