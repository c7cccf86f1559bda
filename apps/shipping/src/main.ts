import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { readShippingConfig, SHIPPING_APP } from './config.js';
import { ShippingModule } from './shipping.module.js';

await runService(SHIPPING_APP, () => {
  const config = readShippingConfig();
  return {
    module: ShippingModule.forRoot(config),
    env: config,
    configure: serveOpenApi,
  };
});
