import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { PAYMENTS_APP, readPaymentsConfig } from './config.js';
import { PaymentsModule } from './payments.module.js';

await runService(PAYMENTS_APP, () => {
  const config = readPaymentsConfig();
  return {
    module: PaymentsModule.forRoot(config),
    env: config,
    configure: serveOpenApi,
  };
});
