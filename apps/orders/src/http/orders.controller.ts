import { randomUUID } from 'node:crypto';
import {
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  actingCustomer,
  ApiErrors,
  AuthenticatedCustomer,
  CustomerApi,
  RequestInvalidException,
  ValidBody,
  ValidParam,
  ValidQuery,
} from '@app/http-api';
import { childTraceparent, isTraceparent } from '@app/contracts';
import type { Response } from 'express';
import { PlaceOrderCommand } from '../commands/place-order/place-order.command.js';
import { GetOrderQuery } from '../queries/get-order/get-order.query.js';
import { ListOrdersQuery } from '../queries/list-orders/list-orders.query.js';
import {
  idempotencyKeyHeader,
  listOrdersQuery,
  orderDetailsResponse,
  orderIdParam,
  orderPageResponse,
  orderResponse,
  placeOrderBody,
  type ListOrdersQueryParams,
  type PlaceOrderBody,
} from './order.schemas.js';
import { historyView, orderView } from './order.view.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

@ApiTags('orders')
@CustomerApi()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Place an order; it is PENDING until payments answers' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'same key and body: same order',
  })
  @ApiResponse({
    status: 202,
    description: 'the order, PENDING; Location says where to follow it',
    standardSchema: orderResponse,
  })
  @ApiErrors({
    400: 'the body fails validation; nothing is stored',
    403: 'the body names another customer than the token',
    409: 'the Idempotency-Key came with another body',
    413: 'the body is over 100 kB',
    415: 'the body is not JSON',
    429: 'too many orders from this client; retry later',
  })
  async place(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidBody(placeOrderBody) body: PlaceOrderBody,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Headers('x-request-id') requestIdHeader: string | undefined,
    @Headers('traceparent') traceparentHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const key = idempotencyKeyHeader.safeParse(rawKey);
    if (!key.success) {
      throw new RequestInvalidException([
        { in: 'header', path: 'Idempotency-Key', message: 'must be 1 to 200 characters' },
      ]);
    }
    const customerId = actingCustomer(customer, body.customerId);
    if (customerId === undefined) {
      throw new RequestInvalidException([
        {
          in: 'body',
          path: 'customerId',
          message: 'required (or a bearer token naming the customer)',
        },
      ]);
    }
    const requestId =
      requestIdHeader && REQUEST_ID.test(requestIdHeader) ? requestIdHeader : randomUUID();
    const { order, replayed } = await this.commandBus.execute(
      new PlaceOrderCommand({ ...body, customerId }, idempotencyKey(customer, key.data), {
        causationId: requestId,
        // Join the caller's trace when it sent one; otherwise the order starts its own.
        traceparent: isTraceparent(traceparentHeader)
          ? childTraceparent(traceparentHeader)
          : childTraceparent(),
      }),
    );
    response.location(`/orders/${order.id}`);
    // The causation id of the order's first messages: lets a client find them on the wire.
    response.setHeader('X-Request-Id', requestId);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return orderView(order);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An order, its status and the history of its saga' })
  @ApiResponse({ status: 200, description: 'the order', standardSchema: orderDetailsResponse })
  @ApiErrors({ 400: 'the id is not a UUID', 404: 'no such order' })
  async get(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidParam('id', orderIdParam) id: string,
  ) {
    const { order, history } = await this.queryBus.execute(new GetOrderQuery(id, customer));
    return { ...orderView(order), ...historyView(history) };
  }

  @Get()
  @ApiOperation({ summary: 'Orders, newest first; follow nextCursor for older ones' })
  @ApiResponse({
    status: 200,
    description: 'one page of orders',
    standardSchema: orderPageResponse,
  })
  @ApiErrors({
    400: 'a filter, the limit or the cursor is invalid',
    403: 'customerId names another customer than the token',
  })
  async list(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidQuery(listOrdersQuery) query: ListOrdersQueryParams,
  ) {
    const customerId = actingCustomer(customer, query.customerId);
    const page = await this.queryBus.execute(new ListOrdersQuery({ ...query, customerId }));
    return { items: page.orders.map(orderView), nextCursor: page.nextCursor };
  }
}

/**
 * Each customer's keys are their own: one customer's key can neither replay
 * nor block another's order, nor tell that another used it.
 */
function idempotencyKey(customer: string | undefined, key: string | undefined): string | null {
  if (key === undefined) return null;
  return customer === undefined ? key : `${customer}/${key}`;
}
