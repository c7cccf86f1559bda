import { Module, type DynamicModule } from '@nestjs/common';
import { readFlowViewConfig } from './flow-view.config.js';
import { FlowStream } from './flow-stream.js';
import { FlowViewController } from './flow-view.controller.js';

/** GET /flow, the live view of the message flow; nothing at all when ORDERS_FLOW_VIEW=false. */
@Module({})
export class FlowViewModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    if (!readFlowViewConfig(env).enabled) return { module: FlowViewModule };
    return {
      module: FlowViewModule,
      controllers: [FlowViewController],
      providers: [FlowStream],
    };
  }
}
