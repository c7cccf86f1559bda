import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { describe, expect, it } from 'vitest';
import { topologyDefaults } from '../../libs/messaging/src/jetstream/topology.js';
import {
  loadSigningSettings,
  publicKeyFileName,
  sendersTo,
  sendsCommands,
} from '../../libs/messaging/src/signing/signing-keys.js';
import {
  ALL_APPS,
  APPS,
  appConfig,
  atLeast,
  defaultPort,
  imageReference,
  postgresDataMount,
  readText,
  readYaml,
  ROOT,
  unknownVariables,
  versionOf,
  envName,
  FLOW_VIEW,
} from './deploy-support.js';

// docker-compose.yml checked without a Docker engine: against the Compose
// specification's JSON schema, by dclint's rules, and for the properties the
// quick start depends on. scripts/compose-smoke.sh runs it for real where an
// engine exists.

interface Service {
  image?: string;
  build?: { context: string; target?: string; secrets?: string[] };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; start_period?: string };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
  profiles?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  restart?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = readYaml<ComposeFile>('docker-compose.yml');
const composeText = readText('docker-compose.yml');

/** .env.example as the variables `docker compose --env-file .env.example` would see. */
const envExample = Object.fromEntries(
  readText('.env.example')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
) as Record<string, string>;

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (_, name: string, colon: string, operator: string | undefined, argument: string) => {
      const set = name in variables && (colon !== ':' || variables[name] !== '');
      if (set) return variables[name] ?? '';
      if (operator === '?') throw new Error(`${name} is required: ${argument}`);
      return operator === '-' ? argument : '';
    },
  );
}

function environmentOf(service: string): Record<string, string> {
  const environment = compose.services[service]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      interpolate(String(value), envExample),
    ]),
  );
}

function seconds(duration: string | undefined): number {
  const match = /^([0-9]+)(ms|s|m)$/.exec(duration ?? '');
  if (!match) throw new Error(`not a duration: ${duration}`);
  return (
    Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 } as Record<string, number>)[match[2] ?? 's']!
  );
}

function hasComposePlugin(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('docker-compose.yml', () => {
  it('validates against the Compose specification (compose-spec JSON schema, as dclint ships it)', () => {
    const schemaPath = resolve(
      dirname(createRequire(import.meta.url).resolve('dclint/package.json')),
      'schemas/compose.schema.json',
    );
    // Draft-07, Ajv's own default; its $schema URL lacks the '#' Ajv registers it under.
    const { $schema: _draft, ...schema } = JSON.parse(readText(schemaPath)) as Record<
      string,
      unknown
    >;
    const validateCompose = new Ajv({
      allErrors: true,
      strict: false,
      allowUnionTypes: true,
    }).compile(schema);
    // As written, and as Compose sees it once .env.example is interpolated.
    const interpolated = JSON.parse(
      interpolate(JSON.stringify(compose), envExample),
    ) as ComposeFile;
    for (const candidate of [compose, interpolated]) {
      validateCompose(candidate);
      expect(validateCompose.errors ?? []).toEqual([]);
    }
  });

  it('passes dclint: no unbound or duplicate published ports, explicit image tags, a project name', () => {
    const linter = new DCLinter({
      rules: {
        // The apps name the image they build, so that compose and the local
        // Kubernetes overlay run the same tag (kind load docker-image ...).
        'no-build-and-image': 0,
        // Layout rules: this file groups infrastructure, apps and gateway instead.
        'service-keys-order': 0,
        'services-alphabetical-order': 0,
        'service-dependencies-alphabetical-order': 0,
        'service-ports-alphabetical-order': 0,
        'top-level-properties-order': 0,
        'no-unbound-port-interfaces': 2,
        'no-duplicate-exported-ports': 2,
        'service-image-require-explicit-tag': 2,
        'require-project-name-field': 2,
      },
      quiet: false,
      debug: false,
      exclude: [],
    });
    // dclint's own .d.ts files do not resolve under NodeNext: the shape it returns, spelled out.
    const [result] = linter.lintFiles([resolve(ROOT, 'docker-compose.yml')], false) as {
      messages: { line: number; rule: string; message: string }[];
    }[];
    expect(
      result?.messages.map((message) => `${message.line}: ${message.rule}: ${message.message}`),
    ).toEqual([]);
  });

  it.runIf(hasComposePlugin())(
    'is accepted by `docker compose config` (where the plugin exists)',
    () => {
      execFileSync('docker', ['compose', '--env-file', '.env.example', 'config', '--quiet'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    },
  );

  it.each(ALL_APPS)(
    '%s is built from its own Dockerfile stage and tagged as the local cluster runs it',
    (app) => {
      const service = compose.services[app];
      expect(service?.build).toEqual({ context: '.', target: app, secrets: ['ca-certificates'] });
      expect(service?.image).toBe(`nest-jetstream-platform/${app}:local`);
      // The command comes from the image (CMD node dist/apps/<app>/main.js).
      expect(service?.command).toBeUndefined();
    },
  );

  it.each(APPS)(
    '%s checks /health/ready and waits for NATS and PostgreSQL to be healthy, and NATS provisioned',
    (app) => {
      const service = compose.services[app];
      expect(service?.healthcheck?.test.join(' ')).toContain('/health/ready');
      expect(seconds(service?.healthcheck?.start_period)).toBeGreaterThan(0);
      expect(service?.depends_on).toEqual({
        nats: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        provision: { condition: 'service_completed_successfully' },
      });
    },
  );

  it('provisions the streams and consumers once, as the provisioning user, from an app image', () => {
    const service = compose.services.provision;
    expect(service?.image).toBe(compose.services.orders?.image);
    expect(service?.command).toEqual(['node', 'dist/scripts/provision-nats/main.js']);
    expect(service?.restart).toBe('no');
    expect(service?.depends_on).toEqual({ nats: { condition: 'service_healthy' } });
    const environment = service?.environment ?? {};
    expect(environment.NATS_USER).toBe('provisioning');
    expect(environment.NATS_PASSWORD).toMatch(/^\$\{PROVISIONING_NATS_PASSWORD:\?/);
  });

  it('starts the flow view once NATS is healthy, with no database, and points its form at orders', () => {
    const service = compose.services[FLOW_VIEW];
    expect(service?.healthcheck?.test.join(' ')).toContain('/health/ready');
    expect(service?.depends_on).toEqual({ nats: { condition: 'service_healthy' } });
    const environment = environmentOf(FLOW_VIEW);
    expect(unknownVariables(FLOW_VIEW, environment)).toEqual([]);
    const config = appConfig(FLOW_VIEW, environment);
    expect(config.NATS_URL).toBe('nats://nats:4222');
    expect(config.FLOW_VIEW_ORDERS_URL).toBe(`http://orders:${defaultPort('orders')}`);
    expect(environment).not.toHaveProperty('DATABASE_URL');
  });

  it('gives every service a health check, and every dependency waits for health, or for a one-off job to succeed', () => {
    // One-off jobs (restart: 'no') and tools (profile "tools", run on demand) are commands, not services.
    const oneOff = (name: string) => compose.services[name]?.restart === 'no';
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.profiles?.includes('tools') && !oneOff(name))
        expect(service.healthcheck?.test, name).toBeDefined();
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (oneOff(dependency)) {
          expect(condition, `${name} -> ${dependency}`).toBe('service_completed_successfully');
          continue;
        }
        expect(condition, `${name} -> ${dependency}`).toBe('service_healthy');
        expect(compose.services[dependency]?.healthcheck, dependency).toBeDefined();
      }
    }
  });

  it('publishes only the gateway, on 127.0.0.1, which routes each app API port to that app, and the flow view its own', () => {
    // The observability profile's UIs are opt-in, and local too (see its own test).
    const published = Object.entries(compose.services).filter(
      ([, service]) => service.ports && !service.profiles?.includes('observability'),
    );
    expect(published.map(([name]) => name).sort()).toEqual([FLOW_VIEW, 'gateway']);
    const ports = (compose.services.gateway?.ports ?? []).map((port) =>
      interpolate(port, envExample),
    );
    expect(new Set(ports)).toEqual(
      new Set(APPS.map((app) => `127.0.0.1:${defaultPort(app)}:${defaultPort(app)}`)),
    );
    const flowView = (compose.services[FLOW_VIEW]?.ports ?? []).map((port) =>
      interpolate(port, envExample),
    );
    expect(flowView).toEqual([`127.0.0.1:${defaultPort(FLOW_VIEW)}:${defaultPort(FLOW_VIEW)}`]);

    // Each published port reaches the app of that port, through Docker's DNS (every replica).
    const nginx = readText('deploy/gateway/nginx.conf');
    for (const app of APPS) {
      const port = defaultPort(app);
      const server = new RegExp(
        `listen ${port};[^}]*set \\$upstream ${app}:${port};\\s*proxy_pass http://\\$upstream;`,
      );
      expect(nginx).toMatch(server);
    }
    expect(nginx).toMatch(/resolver 127\.0\.0\.11 valid=\d+s/);
  });

  it('exposes no admin port: neither published nor proxied, and behind ADMIN_TOKEN, which .env must set', () => {
    const nginx = readText('deploy/gateway/nginx.conf');
    for (const app of ALL_APPS) {
      const admin = defaultPort(app) + 1_000;
      expect(nginx, app).not.toMatch(new RegExp(`(listen|:)\\s*${admin}\\b`));
      for (const port of compose.services[app]?.ports ?? [])
        expect(port, app).not.toContain(`${admin}`);
      const token = String(compose.services[app]?.environment?.ADMIN_TOKEN);
      expect(token, app).toMatch(/^\$\{ADMIN_TOKEN:\?[^}]+\}$/);
    }
    expect(nginx).not.toMatch(/flow-view/);
    expect(envExample.ADMIN_TOKEN?.length).toBeGreaterThanOrEqual(16);
  });

  it('hands the image builds extra CA certificates for npm only when BUILD_EXTRA_CA_CERTS names a file', () => {
    // The Dockerfile mounts the secret ca-certificates over an empty file; /dev/null keeps it empty.
    expect(composeText).toMatch(
      /^ {2}ca-certificates:\n\s+file: \$\{BUILD_EXTRA_CA_CERTS:-\/dev\/null\}$/m,
    );
    expect(envExample.BUILD_EXTRA_CA_CERTS).toBe('');
    // Every build of a stage that runs npm: whichever service builds it first, npm has them.
    const builds = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(builds.length).toBeGreaterThan(APPS.length);
    for (const [name, service] of builds) {
      expect(service.build?.secrets, name).toEqual(['ca-certificates']);
    }
  });

  it('keeps credentials out of the file: passwords are required from .env, which .env.example documents', () => {
    const referenced = new Set(
      [...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]),
    );
    expect([...referenced].filter((name) => !(name! in envExample))).toEqual([]);
    const postgres = compose.services.postgres?.environment ?? {};
    for (const [name, value] of Object.entries(postgres)) {
      if (/PASSWORD/.test(name)) expect(String(value), name).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    for (const app of APPS) {
      const url = String(compose.services[app]?.environment?.DATABASE_URL);
      // Its own login and database, the password from the environment.
      expect(url).toMatch(
        new RegExp(
          `^postgres://${app}:\\$\\{${envName(app)}_DB_PASSWORD:\\?[^}]+\\}@postgres:5432/${app}$`,
        ),
      );
    }
  });

  it.each(APPS)(
    'the environment given to %s is accepted by its own configuration schema',
    (app) => {
      const environment = environmentOf(app);
      expect(unknownVariables(app, environment)).toEqual([]);
      const config = appConfig(app, environment);
      expect(config.NATS_URL).toBe('nats://nats:4222');
      expect(new URL(String(config.DATABASE_URL)).pathname).toBe(`/${app}`);
    },
  );

  it.each(APPS)(
    'has %s sign the commands it sends and check the ones it receives, with only its own private key',
    (app) => {
      const environment = environmentOf(app);
      const mounts = new Map(
        (compose.services[app]?.volumes ?? []).map((volume) => {
          const [host = '', container = ''] = interpolate(String(volume), envExample).split(':');
          return [container, resolve(ROOT, host)];
        }),
      );
      const privateKeys = [...mounts.values()].filter((host) => /private-key/.test(host));
      if (sendsCommands(app)) {
        const signingKey = mounts.get(environment.MESSAGING_SIGNING_KEY_FILE ?? '');
        expect(signingKey, app).toBeDefined();
        expect(privateKeys).toEqual([signingKey]);
        const publicKey = join(
          mounts.get(environment.MESSAGING_SENDER_KEYS_DIR ?? '') ?? '',
          publicKeyFileName(app),
        );
        // The pair: what this app signs, its receivers verify.
        expect(
          createPublicKey(createPrivateKey(readFileSync(signingKey!, 'utf8')))
            .export({ type: 'spki', format: 'pem' })
            .toString(),
        ).toBe(readFileSync(publicKey, 'utf8'));
      } else {
        expect(environment.MESSAGING_SIGNING_KEY_FILE, app).toBeUndefined();
        expect(privateKeys, app).toEqual([]);
      }
      const senderKeys = mounts.get(environment.MESSAGING_SENDER_KEYS_DIR ?? '');
      expect(senderKeys, app).toBeDefined();
      expect(loadSigningSettings(app, undefined, senderKeys).senderKeys?.size).toBe(
        sendersTo(app).length,
      );
    },
  );

  it.each(APPS)('gives %s longer to stop than a message may stay in hand (the ack wait)', (app) => {
    const ackWaitMs = Number(
      environmentOf(app).MESSAGING_ACK_WAIT_MS ?? topologyDefaults.ackWaitMs,
    );
    expect(seconds(compose.services[app]?.stop_grace_period)).toBeGreaterThan(ackWaitMs / 1000);
  });

  it.each(ALL_APPS)('runs %s read-only without capabilities', (app) => {
    expect(compose.services[app]?.read_only).toBe(true);
    expect(compose.services[app]?.cap_drop).toEqual(['ALL']);
  });

  it('runs NATS 2.10+ with JetStream on a named volume, healthy only with JetStream on', () => {
    const nats = compose.services.nats!;
    expect(atLeast(versionOf(imageReference(nats.image ?? '').tag), [2, 10])).toBe(true);
    const config = readText('deploy/nats/nats.conf');
    const storeDir = /store_dir:\s*"?([^"\s]+)"?/.exec(config)?.[1];
    expect(nats.volumes).toContain(`nats-data:${storeDir}`);
    expect(compose.volumes).toHaveProperty('nats-data');
    expect(nats.command).toEqual(['nats-server', '--config', '/etc/nats/nats.conf']);
    expect(nats.volumes).toContain('./deploy/nats:/etc/nats:ro');
    expect(nats.healthcheck?.test.join(' ')).toContain('/healthz?js-enabled-only=true');
  });

  it('pins the PostgreSQL major and mounts its volume where that major keeps its data', () => {
    const postgres = compose.services.postgres!;
    const major = versionOf(imageReference(postgres.image ?? '').tag)[0];
    expect(major).toBeDefined();
    expect(postgres.volumes).toContain(`postgres-data:${postgresDataMount(major!)}`);
    expect(compose.volumes).toHaveProperty('postgres-data');
    // Healthy over TCP only once the init scripts ran (they run on the socket).
    expect(postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready .*--host=127\.0\.0\.1/);
  });

  it('creates one database and one login per app at PostgreSQL first start', () => {
    const postgres = compose.services.postgres!;
    expect(postgres.volumes).toContain('./deploy/postgres/init:/docker-entrypoint-initdb.d:ro');
    const script = readText('deploy/postgres/init/10-app-databases.sh');
    for (const app of APPS) {
      const variable = `${envName(app)}_DB_PASSWORD`;
      expect(script).toContain(`create_app_database ${app} "\${${variable}:-}"`);
      expect(postgres.environment).toHaveProperty(variable);
    }
    expect(script).toContain('CREATE DATABASE :"app" OWNER :"app";');
    expect(script).toContain('REVOKE ALL ON DATABASE :"app" FROM PUBLIC;');
  });

  it('has a smoke script that is valid bash and runs the quick start and the order flow', () => {
    execFileSync('bash', ['-n', resolve(ROOT, 'scripts/compose-smoke.sh')]);
    const script = readText('scripts/compose-smoke.sh');
    expect(script).toContain('up --build');
    expect(script).toContain('$orders/orders');
    expect(script).toContain('COMPLETED');
  });
});
