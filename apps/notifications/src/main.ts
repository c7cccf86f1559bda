import 'reflect-metadata';
import { serveOpenApi } from '@app/http-api';
import { runService } from '@app/runtime';
import { NOTIFICATIONS_APP, readNotificationsConfig } from './config.js';
import { NotificationsModule } from './notifications.module.js';

await runService(NOTIFICATIONS_APP, () => {
  const config = readNotificationsConfig();
  return {
    module: NotificationsModule.forRoot(config),
    env: config,
    configure: serveOpenApi,
  };
});
