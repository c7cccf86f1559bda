import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS, ALL_EVENTS } from '@app/contracts';
import {
  monitoringPermissions,
  natsPermissions,
  provisioningPermissions,
} from '../../libs/messaging/src/jetstream/permissions.js';
import { subscriptionsOf } from '../../libs/messaging/src/jetstream/topology.js';
import {
  natsApps,
  natsUsers,
  passwordVariable,
  renderNatsAuthorization,
} from '../../scripts/nats-auth/render.js';
import { AUTH_CONFIG_FILES } from '../../scripts/nats-auth/files.js';
import {
  ALL_APPS,
  APPS,
  consumersOf,
  FLOW_VIEW,
  dataOf,
  type K8sObject,
  named,
  OVERLAYS,
  readText,
  readYaml,
  renderOverlay,
  type Workload,
} from './deploy-support.js';

interface ComposeService {
  environment?: Record<string, string>;
}

/** KEY=value lines, as compose reads .env. */
function parseDotenv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** A generated ConfigMap, whatever hash suffix kustomize gave its name. */
function configMap(objects: K8sObject[], name: string): Record<string, string> {
  const found = objects.find(
    (object) =>
      object.kind === 'ConfigMap' &&
      new RegExp(`^${name}(-[a-z0-9]+)?$`).test(object.metadata.name),
  );
  if (!found) throw new Error(`no ConfigMap ${name}`);
  return dataOf(found);
}

/** `<secret>/<key>` a variable comes from, without the hash suffix a generated Secret has. */
function secretOf(
  variable: { valueFrom?: { secretKeyRef?: { name: string; key: string } } } | undefined,
) {
  const ref = variable?.valueFrom?.secretKeyRef;
  return ref && `${ref.name.replace(/-[a-z0-9]{10}$/, '')}/${ref.key}`;
}

const compose = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml');

describe('NATS authorisation as shipped', () => {
  it.each(AUTH_CONFIG_FILES)(
    '%s is what the catalog gives now (npm run generate:nats-auth)',
    (file) => {
      expect(readText(file), `${file} is stale: run npm run generate:nats-auth`).toBe(
        renderNatsAuthorization(),
      );
    },
  );

  it.each(APPS)('grants %s the consumers its handlers read, no fewer and no more', (app) => {
    const granted = subscriptionsOf(app).map(({ stream, consumer }) => `${stream}/${consumer}`);
    const handled = consumersOf(app).map(({ stream, consumer }) => `${stream}/${consumer}`);
    expect(new Set(granted)).toEqual(new Set(handled));
  });

  it('has a user for every app it deploys, the flow view included, and for provisioning and monitoring', () => {
    expect(natsApps()).toEqual([...ALL_APPS]);
    expect(natsUsers()).toEqual([...ALL_APPS, 'provisioning', 'monitoring']);
  });

  it.each(APPS)(
    'lets %s create, change, purge or delete no stream or consumer, and get or delete no stored message',
    (app) => {
      const api = natsPermissions(app).publish.allow.filter((subject) => subject.startsWith('$JS'));
      for (const subject of api) {
        expect(subject).toMatch(
          /^\$JS\.(API\.INFO|API\.STREAM\.INFO\.[A-Z]+|API\.CONSUMER\.(INFO|MSG\.NEXT)\.[A-Z]+\.[\w-]+|ACK\.[A-Z]+\.[\w-]+\.>)$/,
        );
      }
      // Its own consumers only, the one of its dead letters included.
      expect(api.filter((subject) => subject.includes('DEADLETTERS'))).toEqual([
        `$JS.API.CONSUMER.INFO.DEADLETTERS.${app}-dead-letters`,
        `$JS.API.CONSUMER.MSG.NEXT.DEADLETTERS.${app}-dead-letters`,
        `$JS.ACK.DEADLETTERS.${app}-dead-letters.>`,
      ]);
    },
  );

  it('lets provisioning manage streams and consumers, and touch no message but the commands it moves to the dead letters', () => {
    const { publish, subscribe } = provisioningPermissions();
    const messages = publish.allow.filter((subject) => !subject.startsWith('$JS.API.'));
    expect(messages).toEqual(['dlq.>']);
    expect(publish.allow.filter((subject) => /MSG|PURGE/.test(subject))).toEqual([
      '$JS.API.STREAM.MSG.GET.COMMANDS',
      '$JS.API.STREAM.MSG.DELETE.COMMANDS',
    ]);
    expect(subscribe.allow).toEqual(['_INBOX.provisioning.>']);
  });

  it('lets monitoring read stream and consumer information and stored messages, and change nothing', () => {
    const { publish } = monitoringPermissions();
    for (const subject of publish.allow) {
      expect(subject).toMatch(
        /^\$JS\.API\.(INFO|(STREAM|CONSUMER)\.(NAMES|LIST|INFO)\b|STREAM\.MSG\.GET\.)/,
      );
    }
  });

  it('lets the flow view watch every command and event on core NATS, and publish nothing', () => {
    expect(natsPermissions(FLOW_VIEW)).toEqual({
      publish: { allow: [] },
      subscribe: { allow: [ALL_COMMANDS, ALL_EVENTS] },
    });
    // An empty allow-list would be no rule at all to nats-server.
    const user = renderNatsAuthorization().split(`user: "${FLOW_VIEW}"`)[1] ?? '';
    expect(user).toMatch(
      /^\s+password: \$FLOW_VIEW_NATS_PASSWORD\s+permissions: \{\s+publish: \{ deny: \[">"\] \}/,
    );
  });

  it('no longer lets orders watch the messages of the others', () => {
    expect(natsPermissions('orders').subscribe.allow).not.toContain(ALL_EVENTS);
  });

  it.each([
    'deploy/nats/nats.conf',
    'k8s/base/nats/nats.conf',
    'k8s/overlays/production/nats.conf',
  ])('%s includes the users', (file) => {
    expect(readText(file)).toMatch(/^include \.\/auth\.conf$/m);
  });

  it('is a configuration nats-server accepts, with every password variable set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nats-auth-'));
    writeFileSync(join(dir, 'auth.conf'), readText('deploy/nats/auth.conf'));
    writeFileSync(join(dir, 'server.conf'), 'port: 4222\ninclude ./auth.conf\n');
    const env = Object.fromEntries(natsUsers().map((app) => [passwordVariable(app), `p${app}`]));
    expect(() =>
      execFileSync('nats-server', ['-c', join(dir, 'server.conf'), '-t'], {
        env: { ...process.env, ...env },
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  it.each(ALL_APPS)(
    'compose: %s connects as its own user, with the password the server has',
    (app) => {
      const environment = compose.services[app]?.environment ?? {};
      const variable = passwordVariable(app);
      expect(environment.NATS_USER).toBe(app);
      expect(environment.NATS_PASSWORD).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
      expect(compose.services.nats?.environment?.[variable]).toMatch(
        new RegExp(`^\\$\\{${variable}:\\?`),
      );
    },
  );

  it('.env.example gives every app a NATS password that nats-server reads as a string', () => {
    const example = parseDotenv(readText('.env.example'));
    for (const app of ALL_APPS) {
      expect(example[passwordVariable(app)], app).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    }
  });

  it.each(OVERLAYS)(
    'k8s %s: each app reads NATS_USER and its own password Secret, which the servers read too',
    (overlay) => {
      const objects = renderOverlay(overlay);
      const nats = named<K8sObject & Workload>(objects, 'StatefulSet', 'nats');
      const serverEnv = nats.spec.template.spec.containers[0]?.env ?? [];
      expect(configMap(objects, 'nats-config')['auth.conf']).toBe(renderNatsAuthorization());
      for (const app of ALL_APPS) {
        const container = named<K8sObject & Workload>(objects, 'Deployment', app).spec.template.spec
          .containers[0]!;
        const password = container.env?.find((variable) => variable.name === 'NATS_PASSWORD');
        expect(secretOf(password)).toBe(`${app}-nats/password`);
        const server = serverEnv.find((variable) => variable.name === passwordVariable(app));
        expect(secretOf(server)).toBe(`${app}-nats/password`);
        expect(configMap(objects, `${app}-config`).NATS_USER).toBe(app);
      }
    },
  );
});
