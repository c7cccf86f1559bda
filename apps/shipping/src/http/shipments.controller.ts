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
import type { Shipment } from '../domain/shipment.js';
import { GetShipmentQuery } from '../queries/get-shipment/get-shipment.query.js';
import { ListShipmentsQuery } from '../queries/list-shipments/list-shipments.query.js';

const listShipmentsQuery = z.strictObject({ orderId: id });
type ListShipmentsParams = z.infer<typeof listShipmentsQuery>;

function shipmentView(shipment: Shipment) {
  return {
    ...shipment,
    recalledAt: shipment.recalledAt?.toISOString() ?? null,
    createdAt: shipment.createdAt.toISOString(),
  };
}

@ApiTags('shipments')
@CustomerApi()
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The shipments of an order (at most one); none for another customer' })
  @ApiErrors({ 400: 'orderId is missing or not a UUID' })
  async list(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidQuery(listShipmentsQuery) query: ListShipmentsParams,
  ) {
    const shipments = await this.queryBus.execute(new ListShipmentsQuery(query.orderId, customer));
    return { items: shipments.map(shipmentView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One shipment' })
  @ApiErrors({ 400: 'the id is not a UUID', 404: 'no such shipment' })
  async get(
    @AuthenticatedCustomer() customer: string | undefined,
    @ValidParam('id', id) shipmentId: string,
  ) {
    return shipmentView(await this.queryBus.execute(new GetShipmentQuery(shipmentId, customer)));
  }
}
