import { describe, expect, it } from 'vitest';
import { messagingDefaults } from '../../libs/messaging/src/messaging.options.js';
import { topologyDefaults } from '../../libs/messaging/src/jetstream/topology.js';
import {
  publicKeyFileName,
  sendersTo,
  sendsCommands,
} from '../../libs/messaging/src/signing/signing-keys.js';
import {
  ALL_APPS,
  allContainers,
  FLOW_VIEW,
  APPS,
  appConfig,
  atLeast,
  consumersOf,
  dataOf,
  defaultPort,
  imageReference,
  type K8sObject,
  named,
  ofKind,
  OVERLAYS,
  type Overlay,
  postgresDataMount,
  quantity,
  readText,
  renderOverlay,
  unknownVariables,
  versionOf,
  workloads,
  type Workload,
  envName,
} from './deploy-support.js';
import {
  appContainer,
  appDeployment,
  DNS,
  egressOf,
  environmentOf,
  generated,
  NAMESPACE,
  type NetworkPolicy,
  pod,
  schemaErrors,
  selects,
  unknownFields,
} from './kubernetes-support.js';

// Every overlay rendered by `kubectl kustomize` (offline: it needs no cluster;
// kubectl is on the project's machine image, where CI runs), then validated
// against the Kubernetes schemas and held to the platform's deployment rules.

/** The ack wait the provisioning Job gives every consumer (the apps read it from their consumers). */
function provisioningAckWaitMs(objects: K8sObject[]): number {
  const job = named<K8sObject & Workload>(objects, 'Job', 'nats-provision');
  const container = job.spec.template.spec.containers[0]!;
  return Number(
    environmentOf(objects, container).MESSAGING_ACK_WAIT_MS ?? topologyDefaults.ackWaitMs,
  );
}

interface ScaledObject {
  spec: {
    scaleTargetRef: { name: string; kind?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers: { type: string; metadata: Record<string, string> }[];
  };
}

interface HorizontalPodAutoscaler {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
  };
}

const rendered: Record<Overlay, K8sObject[]> = {
  local: renderOverlay('local'),
  production: renderOverlay('production'),
};

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = rendered[overlay];

  it('renders with kubectl kustomize, everything in one namespace that enforces the restricted pod security', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      if (object.kind === 'Namespace') continue;
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(NAMESPACE);
    }
    const namespace = named(objects, 'Namespace', NAMESPACE);
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('provisions again every 15 minutes with the very pods the provisioning Job runs, one run at a time', () => {
    const provisioning = workloads(objects).filter(
      (workload) => workload.metadata.labels?.['app.kubernetes.io/name'] === 'nats-provision',
    );
    const job = provisioning.find((workload) => workload.kind === 'Job');
    const cron = provisioning.find((workload) => workload.kind === 'CronJob');
    expect(provisioning).toHaveLength(2);
    expect(cron?.spec.template).toEqual(job?.spec.template);
    const schedule = named<K8sObject & { spec: Record<string, unknown> }>(
      objects,
      'CronJob',
      'nats-reconcile',
    ).spec;
    expect(schedule).toMatchObject({ schedule: '*/15 * * * *', concurrencyPolicy: 'Forbid' });
  });

  it('validates every object against the Kubernetes schemas (kubernetes-models, KEDA models)', async () => {
    expect(await schemaErrors(objects)).toEqual([]);
  });

  // Runs the TypeScript checker over every object: seconds of CPU, more on a busy machine.
  it('has no unknown field name in any object (type-checked against the API types)', () => {
    expect(unknownFields(objects)).toEqual([]);
  }, 30_000);

  it('gives every container of a long-running workload startup, readiness and liveness probes', () => {
    // A Job's container runs to completion (a CronJob's too): nothing routes traffic to it.
    const longRunning = workloads(objects).filter(
      (candidate) => !['Job', 'CronJob'].includes(candidate.kind),
    );
    for (const workload of longRunning) {
      for (const container of allContainers(workload.spec.template.spec)) {
        const where = `${workload.kind}/${workload.metadata.name} ${container.name}`;
        expect(container.startupProbe, where).toBeDefined();
        expect(container.readinessProbe, where).toBeDefined();
        expect(container.livenessProbe, where).toBeDefined();
      }
    }
  });

  it.each(APPS)(
    'probes %s on its health endpoints: live for startup and liveness, ready for readiness',
    (app) => {
      const container = appContainer(objects, app);
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      // Migrations run before the port opens: a slow first start is not a failed one.
      const startup = container.startupProbe!;
      expect(
        (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3),
      ).toBeGreaterThanOrEqual(60);
    },
  );

  it('requests and limits CPU and memory for every container, requests within limits', () => {
    for (const workload of workloads(objects)) {
      for (const container of allContainers(workload.spec.template.spec)) {
        const where = `${workload.kind}/${workload.metadata.name} ${container.name}`;
        const { requests, limits } = container.resources ?? {};
        for (const resource of ['cpu', 'memory'] as const) {
          expect(requests?.[resource], `${where} requests.${resource}`).toBeDefined();
          expect(limits?.[resource], `${where} limits.${resource}`).toBeDefined();
          expect(quantity(requests![resource]!), where).toBeLessThanOrEqual(
            quantity(limits![resource]!),
          );
        }
      }
    }
  });

  it('runs every pod non-root, without privilege escalation or capabilities, read-only, seccomp RuntimeDefault', () => {
    for (const workload of workloads(objects)) {
      const spec = workload.spec.template.spec;
      expect(spec.securityContext?.runAsNonRoot, workload.metadata.name).toBe(true);
      expect(spec.securityContext?.runAsUser, workload.metadata.name).toBeGreaterThan(0);
      expect(spec.securityContext?.seccompProfile?.type, workload.metadata.name).toBe(
        'RuntimeDefault',
      );
      for (const container of allContainers(spec)) {
        const where = `${workload.metadata.name} ${container.name}`;
        const security = container.securityContext;
        expect(security?.allowPrivilegeEscalation, where).toBe(false);
        expect(security?.readOnlyRootFilesystem, where).toBe(true);
        expect(security?.privileged ?? false, where).toBe(false);
        expect(security?.capabilities?.drop, where).toEqual(['ALL']);
        expect(security?.capabilities?.add ?? [], where).toEqual([]);
        expect(security?.runAsUser ?? spec.securityContext?.runAsUser, where).not.toBe(0);
      }
      expect((spec as { hostNetwork?: boolean }).hostNetwork ?? false).toBe(false);
    }
  });

  it.each(APPS)(
    'runs %s in a Deployment and container of its name, from the image of its name',
    (app) => {
      const deployment = appDeployment(objects, app);
      expect(deployment.spec.template.metadata.labels['app.kubernetes.io/name']).toBe(app);
      const image = imageReference(appContainer(objects, app).image);
      expect(image.name).toBe(app);
      if (overlay === 'local') {
        // What `docker compose build` tags (docker-compose.yml), loaded into the local cluster.
        expect(appContainer(objects, app).image).toBe(`nest-jetstream-platform/${app}:local`);
      } else {
        // From a registry, at a release tag: never a floating one.
        expect(image.repository).toMatch(/^[a-z0-9.-]+\.[a-z]+(:[0-9]+)?\//);
        expect(image.tag).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+/);
      }
    },
  );

  it.each(APPS)(
    'serves %s on its http port, which is its PORT, through a Service of its name',
    (app) => {
      const container = appContainer(objects, app);
      const http = container.ports?.find((port) => port.name === 'http');
      expect(http?.containerPort).toBe(defaultPort(app));
      expect(Number(environmentOf(objects, container).PORT)).toBe(http?.containerPort);
      const service = named<{
        spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
      }>(objects, 'Service', app);
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': app });
      expect(service.spec.ports).toEqual([
        { name: 'http', port: defaultPort(app), targetPort: 'http' },
      ]);
    },
  );

  it('keeps credentials in Secrets: no ConfigMap holds one and no variable spells one out', () => {
    const credential = /PASSWORD|SECRET|TOKEN|CREDENTIAL|DATABASE_URL|PRIVATE_KEY/i;
    for (const configMap of ofKind(objects, 'ConfigMap')) {
      for (const [key, value] of Object.entries(dataOf(configMap))) {
        expect(key, `ConfigMap ${configMap.metadata.name}`).not.toMatch(credential);
        // A URL with a password in it, under any name.
        expect(value, `ConfigMap ${configMap.metadata.name} ${key}`).not.toMatch(
          /:\/\/[^/\s:@]+:[^@\s]+@/,
        );
      }
    }
    for (const workload of workloads(objects)) {
      for (const container of allContainers(workload.spec.template.spec)) {
        for (const variable of container.env ?? []) {
          if (!credential.test(variable.name)) continue;
          expect(variable.value, `${workload.metadata.name} ${variable.name}`).toBeUndefined();
          expect(
            variable.valueFrom?.secretKeyRef,
            `${workload.metadata.name} ${variable.name}`,
          ).toBeDefined();
        }
      }
    }
    for (const app of APPS) {
      expect(
        appContainer(objects, app).env?.find((variable) => variable.name === 'DATABASE_URL')
          ?.valueFrom,
      ).toEqual({
        secretKeyRef: { name: expect.stringMatching(new RegExp(`^${app}-database`)), key: 'url' },
      });
    }
  });

  it('gives each app a NetworkPolicy: out only to NATS on 4222 and PostgreSQL on 5432 (and DNS), behind a default deny', () => {
    const defaultDeny = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find(
      (policy) =>
        Object.keys(policy.spec.podSelector.matchLabels ?? {}).length === 0 &&
        policy.spec.policyTypes.includes('Ingress') &&
        policy.spec.policyTypes.includes('Egress') &&
        !policy.spec.ingress &&
        !policy.spec.egress,
    );
    expect(defaultDeny).toBeDefined();
    for (const app of APPS) {
      const own = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find((policy) =>
        selects(
          { matchLabels: { 'app.kubernetes.io/name': app } },
          policy.spec.podSelector.matchLabels ?? {},
        ),
      );
      expect(own, `NetworkPolicy selecting ${app}`).toBeDefined();
      expect(own?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const labels = appDeployment(objects, app).spec.template.metadata.labels;
      expect(new Set(egressOf(objects, labels))).toEqual(
        new Set([
          `${pod('nats')} TCP/4222`,
          `${pod('postgres')} TCP/5432`,
          `${DNS} UDP/53`,
          `${DNS} TCP/53`,
        ]),
      );
      // In: its own HTTP port from anywhere, its admin port from Prometheus only.
      expect(own?.spec.ingress).toEqual([
        { ports: [{ protocol: 'TCP', port: defaultPort(app) }] },
        {
          from: [
            {
              namespaceSelector: {},
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: defaultPort(app) + 1_000 }],
        },
      ]);
    }
  });

  it('keeps the admin ports out of every Service, behind the admin-token Secret, and points scraping at them', () => {
    const adminPorts = new Set(ALL_APPS.map((app) => defaultPort(app) + 1_000));
    for (const service of ofKind<{ spec: { ports: { port: number; targetPort?: unknown }[] } }>(
      objects,
      'Service',
    )) {
      for (const port of service.spec.ports) {
        expect(adminPorts.has(port.port), service.metadata.name).toBe(false);
        expect(port.targetPort, service.metadata.name).not.toBe('admin');
      }
    }
    for (const app of ALL_APPS) {
      const container =
        app === FLOW_VIEW
          ? named<Workload>(objects, 'Deployment', FLOW_VIEW).spec.template.spec.containers[0]!
          : appContainer(objects, app);
      expect(
        container.env?.find((variable) => variable.name === 'ADMIN_TOKEN')?.valueFrom,
        app,
      ).toEqual({ secretKeyRef: { name: expect.stringMatching(/^admin-token/), key: 'token' } });
    }
    for (const app of APPS) {
      const admin = defaultPort(app) + 1_000;
      expect(appContainer(objects, app).ports).toContainEqual({
        name: 'admin',
        containerPort: admin,
      });
      const template = appDeployment(objects, app).spec.template as {
        metadata: { annotations?: Record<string, string> };
      };
      expect(template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(admin),
        'prometheus.io/path': '/metrics',
      });
    }
  });

  it('lets only the apps reach NATS clients (the flow view and the provisioning Job too) and PostgreSQL (not the flow view)', () => {
    for (const [target, port, clients] of [
      ['nats', 4222, [...ALL_APPS, 'nats-provision']],
      ['postgres', 5432, APPS],
    ] as const) {
      const policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').filter((policy) =>
        selects(policy.spec.podSelector, { 'app.kubernetes.io/name': target }),
      );
      const rules = policies
        .flatMap((policy) => policy.spec.ingress ?? [])
        .filter((rule) => rule.ports?.some((candidate) => candidate.port === port));
      expect(rules, target).toHaveLength(1);
      const [peer, ...others] = rules[0]?.from ?? [];
      expect(others).toEqual([]);
      const [expression, ...moreExpressions] = peer?.podSelector?.matchExpressions ?? [];
      expect(moreExpressions).toEqual([]);
      expect(expression).toMatchObject({ key: 'app.kubernetes.io/name', operator: 'In' });
      // In any order: a generated app comes after the flow view.
      expect([...(expression?.values ?? [])].sort()).toEqual([...clients].sort());
    }
  });

  it('runs NATS 2.10+ as a StatefulSet with JetStream on a persistent volume', () => {
    const nats = named<Workload>(objects, 'StatefulSet', 'nats');
    const [container] = nats.spec.template.spec.containers;
    expect(atLeast(versionOf(imageReference(container?.image ?? '').tag), [2, 10])).toBe(true);
    const config =
      dataOf(generated(objects, 'ConfigMap', configMapVolume(nats, 'config')) ?? nats)[
        'nats.conf'
      ] ?? '';
    const storeDir = /store_dir:\s*"?([^"\s]+)"?/.exec(config)?.[1];
    expect(storeDir).toBeDefined();
    expect(container?.volumeMounts).toContainEqual({ name: 'data', mountPath: storeDir });
    expect(nats.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual(['data']);
    // /healthz checks JetStream itself on 2.10+ (2.9 answered 200 regardless).
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz?js-enabled-only=true');
    expect(container?.startupProbe?.httpGet?.path).toMatch(/^\/healthz/);
    expect(container?.readinessProbe?.httpGet?.path).toMatch(/^\/healthz/);
  });

  it(`runs ${overlay === 'production' ? 'three NATS servers in one JetStream cluster, one per node' : 'one NATS server'}`, () => {
    const nats = named<Workload>(objects, 'StatefulSet', 'nats');
    const config =
      dataOf(generated(objects, 'ConfigMap', configMapVolume(nats, 'config'))!)['nats.conf'] ?? '';
    const replicas = overlay === 'production' ? 3 : 1;
    expect(nats.spec.replicas).toBe(replicas);
    // Each server names itself after its pod; the routes name every pod of the StatefulSet.
    expect(config).toMatch(/server_name:\s*\$POD_NAME/);
    const routes = [...config.matchAll(/nats:\/\/(nats-[0-9]+)\.nats-headless:6222/g)].map(
      (match) => match[1],
    );
    if (replicas === 1) {
      expect(config).not.toMatch(/^cluster\s*\{/m);
    } else {
      expect(routes).toEqual(Array.from({ length: replicas }, (_, index) => `nats-${index}`));
      const affinity = (
        nats.spec.template.spec as {
          affinity?: {
            podAntiAffinity?: {
              requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey: string }[];
            };
          };
        }
      ).affinity;
      expect(
        affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey,
      ).toBe('kubernetes.io/hostname');
    }
    expect(nats.spec.volumeClaimTemplates?.length).toBe(1);
  });

  it('runs PostgreSQL as a StatefulSet, its data on a persistent volume where its pinned major keeps it', () => {
    const postgres = named<Workload>(objects, 'StatefulSet', 'postgres');
    const [container] = postgres.spec.template.spec.containers;
    const major = versionOf(imageReference(container?.image ?? '').tag)[0];
    expect(major).toBeDefined();
    expect(container?.volumeMounts).toContainEqual({
      name: 'data',
      mountPath: postgresDataMount(major!),
    });
    expect(postgres.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual([
      'data',
    ]);
    // One login and database per app, from the same script as docker-compose.yml, run (not sourced).
    const init = postgres.spec.template.spec.volumes?.find((volume) => volume.name === 'init');
    expect(init?.configMap?.defaultMode).toBe(0o555);
    const script = dataOf(generated(objects, 'ConfigMap', init?.configMap?.name ?? '')!)[
      '10-app-databases.sh'
    ];
    expect(script).toBe(readText('deploy/postgres/init/10-app-databases.sh'));
    const env = container?.env ?? [];
    for (const app of APPS) {
      expect(
        env.find((variable) => variable.name === `${envName(app)}_DB_PASSWORD`)?.valueFrom,
      ).toEqual({
        secretKeyRef: {
          name: expect.stringMatching(new RegExp(`^${app}-database`)),
          key: 'password',
        },
      });
    }
  });

  it('scales each app Deployment with exactly one autoscaler: KEDA in production, the HPA fallback locally', () => {
    const scaledObjects = ofKind<ScaledObject>(objects, 'ScaledObject');
    const hpas = ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    for (const app of APPS) {
      const byKeda = scaledObjects.filter((scaled) => scaled.spec.scaleTargetRef.name === app);
      const byHpa = hpas.filter(
        (hpa) =>
          hpa.spec.scaleTargetRef.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === app,
      );
      // KEDA makes an HPA of its own: both on one Deployment would fight.
      expect(byKeda.length + byHpa.length, app).toBe(1);
      expect(overlay === 'production' ? byKeda : byHpa, app).toHaveLength(1);
      // The autoscaler owns the replica count: a fixed one would be reset by every apply.
      expect(appDeployment(objects, app).spec.replicas, app).toBeUndefined();
    }
  });

  it('terminates gracefully: the grace period covers preStop and a message in hand (the ack wait)', () => {
    for (const app of APPS) {
      const spec = appDeployment(objects, app).spec.template.spec;
      const container = appContainer(objects, app);
      const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0], app).toBe('sleep');
      const preStopSeconds = Number(preStop[1]);
      const ackWaitMs = provisioningAckWaitMs(objects);
      expect(spec.terminationGracePeriodSeconds, app).toBeGreaterThan(
        preStopSeconds + ackWaitMs / 1000,
      );
    }
  });

  it('covers every app and NATS with a PodDisruptionBudget', () => {
    const budgets = ofKind<{
      spec: {
        selector: { matchLabels: Record<string, string> };
        maxUnavailable?: number;
        minAvailable?: number;
      };
    }>(objects, 'PodDisruptionBudget');
    for (const name of [...APPS, 'nats']) {
      const budget = budgets.find((candidate) =>
        selects(candidate.spec.selector, { 'app.kubernetes.io/name': name }),
      );
      expect(budget, name).toBeDefined();
      // maxUnavailable 1: a node drain always makes progress, one pod at a time.
      expect(budget?.spec.maxUnavailable, name).toBe(1);
    }
  });

  it.each(APPS)(
    'configures %s with settings its own schema accepts, and nothing it would ignore',
    (app) => {
      const container = appContainer(objects, app);
      const env = environmentOf(objects, container);
      // Production reads DATABASE_URL from a Secret made outside the repository.
      const complete = { DATABASE_URL: `postgres://${app}:secret@postgres:5432/${app}`, ...env };
      expect(unknownVariables(app, complete)).toEqual([]);
      const config = appConfig(app, complete);
      expect(config.NATS_URL).toBe('nats://nats:4222');
      expect(new URL(String(config.DATABASE_URL)).pathname).toBe(`/${app}`);
    },
  );
});

describe('Secrets', () => {
  /** Every Secret and ConfigMap a pod reads, with the keys it reads ('*' for all). */
  function references(objects: K8sObject[]): { kind: string; name: string; key: string }[] {
    return workloads(objects).flatMap((workload) => {
      const spec = workload.spec.template.spec;
      const fromVolumes = (spec.volumes ?? []).flatMap((volume) =>
        volume.configMap
          ? [{ kind: 'ConfigMap', name: volume.configMap.name, key: '*' }]
          : volume.secret
            ? (volume.secret.items?.map(({ key }) => key) ?? ['*']).map((key) => ({
                kind: 'Secret',
                name: volume.secret!.secretName,
                key,
              }))
            : [],
      );
      const fromContainers = allContainers(spec).flatMap((container) => [
        ...(container.envFrom ?? []).map((source) =>
          source.configMapRef
            ? { kind: 'ConfigMap', name: source.configMapRef.name, key: '*' }
            : { kind: 'Secret', name: source.secretRef?.name ?? '', key: '*' },
        ),
        ...(container.env ?? []).flatMap((variable) => {
          const { secretKeyRef, configMapKeyRef } = variable.valueFrom ?? {};
          if (secretKeyRef) return [{ kind: 'Secret', ...secretKeyRef }];
          if (configMapKeyRef) return [{ kind: 'ConfigMap', ...configMapKeyRef }];
          return [];
        }),
      ]);
      return [...fromVolumes, ...fromContainers];
    });
  }

  it('local: every ConfigMap and Secret a pod reads exists in the overlay, with the keys it reads', () => {
    const objects = rendered.local;
    const missing = references(objects).filter(({ kind, name, key }) => {
      const object = generated(objects, kind, name);
      return !object || (key !== '*' && !(key in dataOf(object)));
    });
    expect(missing).toEqual([]);
  });

  it('production: ships no Secret, and expects exactly postgres-admin, one <app>-database and one <app>-nats per app, flow-view-nats, provisioning-nats, monitoring-nats, admin-token and orders-signing-key', () => {
    const objects = rendered.production;
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const expected = references(objects).filter(({ kind }) => kind === 'Secret');
    expect(new Set(expected.map(({ name, key }) => `${name}/${key}`))).toEqual(
      new Set([
        'postgres-admin/password',
        ...APPS.flatMap((app) => [
          `${app}-database/url`,
          `${app}-database/password`,
          `${app}-nats/password`,
        ]),
        `${FLOW_VIEW}-nats/password`,
        'admin-token/token',
        'orders-signing-key/private-key',
        'provisioning-nats/password',
        'monitoring-nats/password',
      ]),
    );
    // ConfigMaps are generated from the repository: all present.
    for (const { name } of references(objects).filter(({ kind }) => kind === 'ConfigMap')) {
      expect(generated(objects, 'ConfigMap', name), name).toBeDefined();
    }
  });
});

describe('KEDA autoscaling (production)', () => {
  const objects = rendered.production;
  const scaledObjects = ofKind<ScaledObject>(objects, 'ScaledObject');

  it.each(APPS)('scales %s on the backlog of exactly the JetStream consumers it reads', (app) => {
    const scaled = scaledObjects.find((candidate) => candidate.spec.scaleTargetRef.name === app);
    const triggers =
      scaled?.spec.triggers.filter((trigger) => trigger.type === 'nats-jetstream') ?? [];
    const consumers = consumersOf(app);
    expect(consumers.length).toBeGreaterThan(0);
    expect(
      new Set(triggers.map(({ metadata }) => `${metadata.stream}/${metadata.consumer}`)),
    ).toEqual(new Set(consumers.map(({ stream, consumer }) => `${stream}/${consumer}`)));
    for (const { metadata } of triggers) {
      // The monitoring port of the NATS Service of this namespace, in the default account.
      expect(metadata.natsServerMonitoringEndpoint).toBe(
        `nats.${NAMESPACE}.svc.cluster.local:8222`,
      );
      expect(metadata.account).toBe('$G');
      // More than one replica's own batch in hand: a single busy replica does not scale out.
      expect(Number(metadata.lagThreshold)).toBeGreaterThan(messagingDefaults.concurrency);
    }
    expect(scaled?.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
  });

  it('lets KEDA (namespace keda) reach the NATS monitoring port it reads', () => {
    const allowed = ofKind<NetworkPolicy>(objects, 'NetworkPolicy')
      .filter((policy) => selects(policy.spec.podSelector, { 'app.kubernetes.io/name': 'nats' }))
      .flatMap((policy) => policy.spec.ingress ?? [])
      .filter((rule) => rule.ports?.some((port) => port.port === 8222))
      .flatMap((rule) => rule.from ?? []);
    expect(allowed).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } },
    });
    const service = named<{ spec: { ports: { port: number }[] } }>(objects, 'Service', 'nats');
    expect(service.spec.ports.map((port) => port.port)).toContain(8222);
  });
});

function configMapVolume(workload: K8sObject & Workload, volume: string): string {
  return (
    workload.spec.template.spec.volumes?.find((candidate) => candidate.name === volume)?.configMap
      ?.name ?? ''
  );
}

describe('customer authentication', () => {
  const demoKey = (name: string) => readText(`deploy/auth/${name}`);

  it.each(APPS)('local: %s checks tokens against the demo public key of deploy/auth', (app) => {
    const env = environmentOf(rendered.local, appContainer(rendered.local, app));
    expect(env.AUTH_JWT_PUBLIC_KEY).toBe(demoKey('demo-only.public-key.pem'));
    expect(env).toMatchObject({
      AUTH_JWT_ISSUER: 'nest-jetstream-platform-demo',
      AUTH_JWT_AUDIENCE: 'nest-jetstream-platform',
    });
  });

  it.each(APPS)("production: %s checks tokens against the issuer's key set", (app) => {
    const env = environmentOf(rendered.production, appContainer(rendered.production, app));
    expect(env.AUTH_JWT_PUBLIC_KEY).toBeUndefined();
    expect(env.AUTH_JWKS_URL).toMatch(/^https:\/\//);
    expect(env.AUTH_JWT_ISSUER).toBeDefined();
    expect(env.AUTH_JWT_AUDIENCE).toBeDefined();
  });

  it("local: the flow view's form signs with the demo private key of deploy/auth", () => {
    const key = appContainer(rendered.local, FLOW_VIEW).env?.find(
      (variable) => variable.name === 'FLOW_VIEW_DEMO_PRIVATE_KEY',
    )?.valueFrom?.secretKeyRef;
    expect(key?.name).toMatch(/^flow-view-demo-key/);
    const secret = generated(rendered.local, 'Secret', key?.name ?? '');
    expect(secret && dataOf(secret)['private-key']).toBe(demoKey('demo-only.private-key.pem'));
  });
});

describe('signed commands', () => {
  /** What a container finds under `path`: the keys of the ConfigMap or Secret mounted there. */
  function filesAt(objects: K8sObject[], app: string, path: string): Record<string, string> {
    const deployment = appDeployment(objects, app);
    const container = appContainer(objects, app);
    const mount = container.volumeMounts?.find((candidate) => path.startsWith(candidate.mountPath));
    const volume = deployment.spec.template.spec.volumes?.find((v) => v.name === mount?.name);
    const object = volume?.configMap
      ? generated(objects, 'ConfigMap', volume.configMap.name)
      : volume?.secret && generated(objects, 'Secret', volume.secret.secretName);
    return object ? dataOf(object) : {};
  }

  it.each(APPS)(
    'local: %s signs the commands it sends with its demo key, and checks those it receives against its senders’ public keys',
    (app) => {
      const env = environmentOf(rendered.local, appContainer(rendered.local, app));
      if (sendsCommands(app)) {
        const key = filesAt(rendered.local, app, env.MESSAGING_SIGNING_KEY_FILE ?? '');
        expect(key['private-key']).toBe(
          readText(`deploy/messaging/demo-only.${app}.private-key.pem`),
        );
      } else {
        expect(env.MESSAGING_SIGNING_KEY_FILE, app).toBeUndefined();
      }
      const senders = sendersTo(app);
      if (senders.length === 0) return;
      const keys = filesAt(rendered.local, app, env.MESSAGING_SENDER_KEYS_DIR ?? '');
      for (const sender of senders) {
        expect(keys[publicKeyFileName(sender)], sender).toBe(
          readText(`deploy/messaging/public/${publicKeyFileName(sender)}`),
        );
      }
    },
  );

  it('production: ships no key; the apps that receive commands read the public keys the operator adds', () => {
    const receivers = APPS.filter((app) => sendersTo(app).length > 0);
    expect(receivers.length).toBeGreaterThan(0);
    for (const app of receivers) {
      const env = environmentOf(rendered.production, appContainer(rendered.production, app));
      expect(env.MESSAGING_SENDER_KEYS_DIR, app).toBeDefined();
      expect(filesAt(rendered.production, app, env.MESSAGING_SENDER_KEYS_DIR ?? '')).toEqual({});
    }
  });
});
