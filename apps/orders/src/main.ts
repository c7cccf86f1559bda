import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { ORDERS_APP, readOrdersConfig } from './config.js';
import { OrdersModule } from './orders.module.js';

await runService(ORDERS_APP, () => {
  const config = readOrdersConfig();
  return {
    module: OrdersModule.forRoot(config),
    env: config,
    configure: serveOpenApi,
  };
});
