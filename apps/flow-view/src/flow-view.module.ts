import { Module, type DynamicModule } from '@nestjs/common';
import { FLOW_VIEW_CONFIG, type FlowViewConfig } from './config.js';
import { FLOW_PAGE, type FlowPage } from './flow-page-files.js';
import { FlowStream } from './flow-stream.js';
import { FlowViewController } from './flow-view.controller.js';
import { HealthController } from './health/health.controller.js';
import { wireConnectionProvider } from './nats/wire-connection.js';
import { DemoOrdersController } from './orders/demo-orders.controller.js';
import { OrdersApi } from './orders/orders-api.js';

/** GET /flow, the live view of the message flow, its demo form, and the health probes. */
@Module({})
export class FlowViewModule {
  static forRoot(config: FlowViewConfig, page: FlowPage): DynamicModule {
    return {
      module: FlowViewModule,
      controllers: [FlowViewController, DemoOrdersController, HealthController],
      providers: [
        { provide: FLOW_VIEW_CONFIG, useValue: config },
        { provide: FLOW_PAGE, useValue: page },
        wireConnectionProvider,
        FlowStream,
        OrdersApi,
      ],
    };
  }
}
