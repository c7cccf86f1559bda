import { participantNames } from '@app/contracts';
import { MONITORING_USER, permissionsOf, PROVISIONING_USER } from '@app/messaging';
import { FLOW_VIEW_APP } from '../../apps/flow-view/src/config.js';

/** Every app with a NATS user: the catalog's participants, and the flow view that watches them. */
export function natsApps(): string[] {
  return [...participantNames(), FLOW_VIEW_APP];
}

/** Every NATS user: the apps', provisioning's, and monitoring's (nats-box). */
export function natsUsers(): string[] {
  return [...natsApps(), PROVISIONING_USER, MONITORING_USER];
}

/** The environment variable that holds an app's NATS password, for the server and the app. */
export function passwordVariable(app: string): string {
  return `${app.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
}

/**
 * The subjects a user may publish or subscribe to. nats-server reads an empty
 * allow-list as no rule at all, so nothing allowed is written as a deny of everything.
 */
function rule(action: 'publish' | 'subscribe', allowed: readonly string[]): string[] {
  if (allowed.length === 0) return [`        ${action}: { deny: [">"] }`];
  return [
    `        ${action}: { allow: [`,
    ...allowed.map((subject) => `          "${subject}"`),
    '        ] }',
  ];
}

/**
 * nats-server configuration: one user per app with the permissions of its
 * role, the password taken from the server's environment (never written here).
 */
export function renderNatsAuthorization(apps: readonly string[] = natsUsers()): string {
  const users = apps.map((app) => {
    const { publish, subscribe } = permissionsOf(app);
    return [
      '    {',
      `      user: "${app}"`,
      `      password: $${passwordVariable(app)}`,
      '      permissions: {',
      ...rule('publish', publish.allow),
      ...rule('subscribe', subscribe.allow),
      '      }',
      '    }',
    ].join('\n');
  });
  return [
    '# One NATS user per app (docs/deployment.md, NATS users), allowed only the',
    '# subjects of its role (the commands it sends, the events it publishes, its',
    '# own dead letters) and the JetStream API calls that read and pull its own',
    '# consumers. `provisioning` alone creates and changes streams and consumers',
    '# (npm run provision:nats); `monitoring` (nats-box) only reads.',
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
