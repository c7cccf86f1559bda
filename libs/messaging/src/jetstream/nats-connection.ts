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

/**
 * The NATS URLs fit for a log line or an error: a password, or a token given
 * as the user, never leaves the process.
 */
export function withoutCredentials(urls: string): string {
  return urls
    .split(',')
    .map((url) => {
      try {
        const shown = new URL(url.trim());
        if (shown.password) shown.password = '***';
        else if (shown.username) shown.username = '***';
        return shown.username || shown.password ? shown.toString().replace(/\/$/, '') : url.trim();
      } catch {
        // Not a URL NATS would take either; it may still hold a secret.
        return url.includes('@') ? '<hidden>' : url.trim();
      }
    })
    .join(',');
}
