import { z } from 'zod';
import { customerAuthEnvironment } from '@app/http-api';
import { platformEnvironment, readEnvironment } from '@app/runtime';

export const NOTIFICATIONS_APP = 'notifications';

export const notificationsEnvironment = platformEnvironment(NOTIFICATIONS_APP, 3004).extend(
  customerAuthEnvironment,
);

export type NotificationsConfig = z.infer<typeof notificationsEnvironment>;

export function readNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return readEnvironment(notificationsEnvironment, env);
}
