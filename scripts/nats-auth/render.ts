import { participantNames } from '@app/contracts';
import { natsPermissions } from '@app/messaging';

/** The environment variable that holds an app's NATS password, for the server and the app. */
export function passwordVariable(app: string): string {
  return `${app.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
}

const list = (subjects: readonly string[], indent: string) =>
  subjects.map((subject) => `${indent}"${subject}"`).join('\n');

/**
 * nats-server configuration: one user per app with the permissions of its
 * role, the password taken from the server's environment (never written here).
 */
export function renderNatsAuthorization(apps: readonly string[] = participantNames()): string {
  const users = apps.map((app) => {
    const { publish, subscribe } = natsPermissions(app);
    return [
      '    {',
      `      user: "${app}"`,
      `      password: $${passwordVariable(app)}`,
      '      permissions: {',
      '        publish: { allow: [',
      list(publish.allow, '          '),
      '        ] }',
      '        subscribe: { allow: [',
      list(subscribe.allow, '          '),
      '        ] }',
      '      }',
      '    }',
    ].join('\n');
  });
  return [
    '# One NATS user per app (docs/deployment.md, NATS users), allowed only the',
    '# subjects of its role (the commands it sends, the events it publishes, its',
    '# own dead letters) and the JetStream API calls for its own consumers.',
    '# Generated from the message catalog by `npm run generate:nats-auth`: do not',
    '# edit by hand.',
    '# Each password comes from the server environment (<APP>_NATS_PASSWORD).',
    'authorization {',
    '  users: [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
