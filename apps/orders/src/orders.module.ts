import { HttpStatus, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { HttpApiModule, REQUEST_INVALID } from '@app/http-api';
import { PlatformModule } from '@app/runtime';
import { AdvanceOrderSagaHandler } from './commands/advance-order-saga/advance-order-saga.handler.js';
import { DeadlineSweeper } from './commands/expire-overdue-order/deadline-sweeper.js';
import { ExpireOverdueOrderHandler } from './commands/expire-overdue-order/expire-overdue-order.handler.js';
import { PlaceOrderHandler } from './commands/place-order/place-order.handler.js';
import { ORDERS_APP, ORDERS_CONFIG, type OrdersConfig } from './config.js';
import { OrderStore } from './domain/order-store.js';
import { LogOrderTransitionsHandler } from './events/log-order-transitions.handler.js';
import { OrdersController } from './http/orders.controller.js';
import { SagaEventsController } from './messages/saga-events.controller.js';
import { ordersMigrations } from './persistence/migrations/orders-migrations.js';
import { OrderRepository } from './persistence/order.repository.js';
import { StalledRefundsGauge } from './telemetry/stalled-refunds-gauge.js';
import { GetOrderHandler } from './queries/get-order/get-order.handler.js';
import { ListOrdersHandler } from './queries/list-orders/list-orders.handler.js';

@Module({})
export class OrdersModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        PlatformModule.forRoot({
          app: ORDERS_APP,
          env: config,
          migrations: ordersMigrations,
        }),
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot([
          { ttl: config.ORDERS_RATE_LIMIT_WINDOW_MS, limit: config.ORDERS_RATE_LIMIT },
        ]),
        HttpApiModule.forApp({
          title: 'orders',
          customerAuth: config,
          description: 'Places orders and runs their saga through payments and shipping.',
          errorStatuses: {
            'ORDER.NOT_FOUND': HttpStatus.NOT_FOUND,
            'ORDER.IDEMPOTENCY_KEY_REUSED': HttpStatus.CONFLICT,
            'ORDER.INVALID_CURSOR': HttpStatus.BAD_REQUEST,
            'ORDER.TOTAL_TOO_LARGE': HttpStatus.BAD_REQUEST,
            [REQUEST_INVALID]: HttpStatus.BAD_REQUEST,
          },
        }),
      ],
      controllers: [OrdersController, SagaEventsController],
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        OrderRepository,
        { provide: OrderStore, useExisting: OrderRepository },
        PlaceOrderHandler,
        AdvanceOrderSagaHandler,
        ExpireOverdueOrderHandler,
        GetOrderHandler,
        ListOrdersHandler,
        LogOrderTransitionsHandler,
        DeadlineSweeper,
        StalledRefundsGauge,
      ],
    };
  }
}
