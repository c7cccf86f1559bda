import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { id } from '@app/contracts';
import { ApiErrors, ValidQuery } from '@app/http-api';
import { ListNotificationsQuery } from '../queries/list-notifications/list-notifications.query.js';

const listNotificationsQuery = z
  .strictObject({
    orderId: id.optional(),
    customerId: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((query) => query.orderId !== undefined || query.customerId !== undefined, {
    message: 'give orderId or customerId',
  });
type ListNotificationsParams = z.infer<typeof listNotificationsQuery>;

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The notifications of an order or of a customer, oldest first' })
  @ApiErrors({ 400: 'neither orderId nor customerId, or one is not a UUID' })
  async list(@ValidQuery(listNotificationsQuery) query: ListNotificationsParams) {
    const { orderId, customerId, limit } = query;
    const notifications = await this.queryBus.execute(
      new ListNotificationsQuery({ orderId, customerId }, limit),
    );
    return { items: notifications.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) };
  }
}
