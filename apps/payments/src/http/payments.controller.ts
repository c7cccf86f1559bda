import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { id } from '@app/contracts';
import {
  ApiErrors,
  AuthenticatedCustomer,
  CustomerApi,
  ValidParam,
  ValidQuery,
} from '@app/http-api';
import { GetPaymentQuery } from '../queries/get-payment/get-payment.query.js';
import { ListPaymentsQuery } from '../queries/list-payments/list-payments.query.js';
import { paymentView } from './payment.view.js';

const listPaymentsQuery = z.strictObject({ orderId: id });
type ListPaymentsParams = z.infer<typeof listPaymentsQuery>;

@ApiTags('payments')
@CustomerApi()
@Controller('payments')
export class PaymentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary:
      'The payments of an order (at most one), with their refunds; none for another customer',
  })
  @ApiErrors({ 400: 'orderId is missing or not a UUID' })
  async list(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidQuery(listPaymentsQuery) query: ListPaymentsParams,
  ) {
    const payments = await this.queryBus.execute(new ListPaymentsQuery(query.orderId, customer));
    return { items: payments.map(paymentView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One payment, with its refund' })
  @ApiErrors({ 400: 'the id is not a UUID', 404: 'no such payment' })
  async get(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidParam('id', id) paymentId: string,
  ) {
    return paymentView(await this.queryBus.execute(new GetPaymentQuery(paymentId, customer)));
  }
}
