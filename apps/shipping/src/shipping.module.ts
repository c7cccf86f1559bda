import { HttpStatus, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpApiModule } from '@app/http-api';
import { PlatformModule } from '@app/runtime';
import { RecallShipmentHandler } from './commands/recall-shipment/recall-shipment.handler.js';
import { ShipOrderHandler } from './commands/ship-order/ship-order.handler.js';
import { SHIPPING_APP, SHIPPING_CONFIG, type ShippingConfig } from './config.js';
import { ShipmentsController } from './http/shipments.controller.js';
import { RecallShipmentController } from './messages/recall-shipment.controller.js';
import { ShipOrderController } from './messages/ship-order.controller.js';
import { shippingMigrations } from './persistence/migrations/shipping-migrations.js';
import { ShipmentEntity } from './persistence/shipment.entity.js';
import { ShipmentRepository } from './persistence/shipment.repository.js';
import { GetShipmentHandler } from './queries/get-shipment/get-shipment.handler.js';
import { ListShipmentsHandler } from './queries/list-shipments/list-shipments.handler.js';

@Module({})
export class ShippingModule {
  static forRoot(config: ShippingConfig): DynamicModule {
    return {
      module: ShippingModule,
      imports: [
        PlatformModule.forRoot({
          app: SHIPPING_APP,
          env: config,
          entities: [ShipmentEntity],
          migrations: shippingMigrations,
        }),
        CqrsModule.forRoot(),
        HttpApiModule.forApp({
          title: 'shipping',
          customerAuth: config,
          description:
            'Ships paid orders (ShipOrder) to the supported countries, and recalls a shipment that went out for a cancelled order (RecallShipment).',
          errorStatuses: { 'SHIPMENT.NOT_FOUND': HttpStatus.NOT_FOUND },
        }),
      ],
      controllers: [ShipmentsController, ShipOrderController, RecallShipmentController],
      providers: [
        { provide: SHIPPING_CONFIG, useValue: config },
        ShipmentRepository,
        ShipOrderHandler,
        RecallShipmentHandler,
        GetShipmentHandler,
        ListShipmentsHandler,
      ],
    };
  }
}
