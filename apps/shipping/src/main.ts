import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { readShippingConfig, SHIPPING_APP } from './config.js';
import { ShippingModule } from './shipping.module.js';

await runService(SHIPPING_APP, () => {
  const config = readShippingConfig();
  return {
    module: ShippingModule.forRoot(config),
    port: config.PORT,
    natsUrl: config.NATS_URL,
    databaseUrl: config.DATABASE_URL,
    configure: serveOpenApi,
  };
});
