import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { id } from '@app/contracts';
import {
  actingCustomer,
  ApiErrors,
  AuthenticatedCustomer,
  CustomerApi,
  RequestInvalidException,
  ValidQuery,
} from '@app/http-api';
import { ListNotificationsQuery } from '../queries/list-notifications/list-notifications.query.js';

const listNotificationsQuery = z.strictObject({
  orderId: id.optional(),
  customerId: id.optional().describe('with a bearer token, the token subject or left out'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
type ListNotificationsParams = z.infer<typeof listNotificationsQuery>;

@ApiTags('notifications')
@CustomerApi()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary:
      "The notifications of an order or of a customer, oldest first; with a bearer token, only the token customer's",
  })
  @ApiErrors({
    400: 'neither orderId nor customerId (nor a bearer token), or one is not a UUID',
    403: 'customerId names another customer than the token',
  })
  async list(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidQuery(listNotificationsQuery) query: ListNotificationsParams,
  ) {
    const { orderId, limit } = query;
    const customerId = actingCustomer(customer, query.customerId);
    if (orderId === undefined && customerId === undefined) {
      throw new RequestInvalidException([
        { in: 'query', path: '', message: 'give orderId or customerId' },
      ]);
    }
    const notifications = await this.queryBus.execute(
      new ListNotificationsQuery({ orderId, customerId }, limit),
    );
    return { items: notifications.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) };
  }
}
