import type { ConnectionOptions } from '@nats-io/transport-node';

/** Where NATS is and who the app is to it. */
export interface NatsConnectionSettings {
  /** One URL or several, comma-separated. */
  readonly url: string;
  /** With NATS authorisation on, each app has a user of its own (deploy/nats/auth.conf). */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

/**
 * Replies (JetStream API answers, pulled messages) come to inboxes under the
 * app's own prefix, so NATS permissions can keep each app out of the others'.
 */
export function inboxPrefixOf(app: string): string {
  return `_INBOX.${app}`;
}

export function connectionOptions(
  settings: NatsConnectionSettings,
  app: string,
): ConnectionOptions {
  return {
    servers: settings.url.split(','),
    name: app,
    inboxPrefix: inboxPrefixOf(app),
    ...(settings.user ? { user: settings.user, pass: settings.password ?? '' } : {}),
  };
}
