import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PATTERN_EXTRAS_METADATA } from '@nestjs/microservices/constants.js';
import type { DynamicModule } from '@nestjs/common';
import type { MessageDefinition } from '@app/contracts';
import type { z } from 'zod';
import { parse, parseAllDocuments } from 'yaml';
import { MESSAGE_DEFINITION_EXTRA } from '../../libs/messaging/src/jetstream/jetstream.server.js';
import { subscriptionFor } from '../../libs/messaging/src/jetstream/topology.js';
import { FLOW_VIEW_APP, flowViewEnvironment } from '../../apps/flow-view/src/config.js';
import { notificationsEnvironment } from '../../apps/notifications/src/config.js';
import { NotificationsModule } from '../../apps/notifications/src/notifications.module.js';
import { ordersEnvironment } from '../../apps/orders/src/config.js';
import { OrdersModule } from '../../apps/orders/src/orders.module.js';
import { paymentsEnvironment } from '../../apps/payments/src/config.js';
import { PaymentsModule } from '../../apps/payments/src/payments.module.js';
import { shippingEnvironment } from '../../apps/shipping/src/config.js';
import { ShippingModule } from '../../apps/shipping/src/shipping.module.js';

/**
 * What the deployment tests read: the artifacts as files, the Kubernetes
 * overlays as `kubectl kustomize` renders them (offline), and the facts the
 * artifacts must agree with taken from the code itself (ports, settings,
 * consumers), so that neither can drift without a test failing.
 */

export const ROOT = resolve(import.meta.dirname, '../..');

/** The services: participants of the message catalog, each with a database and consumers. */
export const APPS = ['orders', 'payments', 'shipping', 'notifications'] as const;
export type AppName = (typeof APPS)[number];

/** The live view of the message flow: deployed like the services, with no database or consumer. */
export const FLOW_VIEW = FLOW_VIEW_APP;
/** Every app built and deployed. */
export const ALL_APPS = [...APPS, FLOW_VIEW] as const;
export type AnyApp = (typeof ALL_APPS)[number];

export const OVERLAYS = ['local', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** How an app's name appears in environment variable names: `gift-cards` → `GIFT_CARDS`. */
export function envName(app: string): string {
  return app.toUpperCase().replace(/-/g, '_');
}

export function readText(path: string): string {
  return readFileSync(resolve(ROOT, path), 'utf8');
}

/** YAML with merge keys (`<<: *anchor`) resolved, as Compose reads it. */
export function readYaml<T = Record<string, unknown>>(path: string): T {
  return parse(readText(path), { merge: true }) as T;
}

// ---------------------------------------------------------------- the apps

const environments: Record<AnyApp, z.ZodObject> = {
  'flow-view': flowViewEnvironment,
  orders: ordersEnvironment,
  payments: paymentsEnvironment,
  shipping: shippingEnvironment,
  notifications: notificationsEnvironment,
};

const modules: Record<AppName, { forRoot(config: never): DynamicModule }> = {
  orders: OrdersModule,
  payments: PaymentsModule,
  shipping: ShippingModule,
  notifications: NotificationsModule,
};

/**
 * Variables read outside each app's schema (libs/observability), by Node
 * itself, or a file standing for a setting (`AUTH_JWT_PUBLIC_KEY_FILE`).
 */
const RUNTIME_VARIABLES = /^(LOG_FORMAT|NODE_OPTIONS|NODE_ENV|OTEL_[A-Z_]+|[A-Z_]+_FILE)$/;

/** The app's configuration, parsed by the app's own schema: throws on a bad value. */
export function appConfig(app: AnyApp, env: Record<string, string>) {
  return environments[app].parse(env) as Record<string, unknown>;
}

export function defaultPort(app: AnyApp): number {
  return appConfig(app, {}).PORT as number;
}

/** Names in `env` that the app would silently ignore (a typo, a setting of another app). */
export function unknownVariables(app: AnyApp, env: Record<string, string>): string[] {
  const known = new Set(Object.keys(environments[app].shape));
  return Object.keys(env).filter((name) => !known.has(name) && !RUNTIME_VARIABLES.test(name));
}

export interface Consumer {
  readonly stream: string;
  readonly consumer: string;
}

/**
 * The durable JetStream consumers an app reads, from the handlers its module
 * registers (`@HandleCommand` / `@HandleEvent`), named as the transport names them.
 */
export function consumersOf(app: AppName): Consumer[] {
  const module = modules[app].forRoot(appConfig(app, {}) as never);
  const consumers: Consumer[] = [];
  for (const controller of module.controllers ?? []) {
    const prototype = (controller as { prototype: Record<string, unknown> }).prototype;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[key];
      if (typeof handler !== 'function') continue;
      const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) as
        Record<string, unknown> | undefined;
      const definition = extras?.[MESSAGE_DEFINITION_EXTRA] as MessageDefinition | undefined;
      if (!definition) continue;
      const { stream, consumer } = subscriptionFor(app, definition);
      consumers.push({ stream, consumer });
    }
  }
  return consumers;
}

// ---------------------------------------------------------------- Kubernetes

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** `kubectl kustomize`: renders offline (no cluster), exactly what `kubectl apply -k` would send. */
export function renderOverlay(overlay: Overlay): K8sObject[] {
  return kustomize(resolve(ROOT, 'k8s/overlays', overlay));
}

/** `kubectl kustomize` of any kustomization folder. */
export function kustomize(folder: string): K8sObject[] {
  const rendered = execFileSync('kubectl', ['kustomize', folder], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(rendered)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

export function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ofKind<T = K8sObject>(objects: K8sObject[], kind: string): (K8sObject & T)[] {
  return objects.filter((object) => object.kind === kind) as (K8sObject & T)[];
}

export function named<T = K8sObject>(
  objects: K8sObject[],
  kind: string,
  name: string,
): K8sObject & T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as K8sObject & T;
}

// Just the fields the policy tests read; kubernetes-models validates the rest.
export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
    };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: {
    requests?: { cpu?: string | number; memory?: string };
    limits?: { cpu?: string | number; memory?: string };
  };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  terminationGracePeriodSeconds?: number;
  volumes?: {
    name: string;
    configMap?: { name: string; defaultMode?: number };
    secret?: { secretName: string; items?: { key: string; path: string }[] };
  }[];
}

export interface Workload {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: {
      metadata: { name: string };
      spec: { resources: { requests: { storage: string } } };
    }[];
  };
}

/** Deployments and StatefulSets: everything that runs pods here. */
/** Every object that runs pods; a CronJob as the Job it makes, so that `spec.template` is its pods'. */
export function workloads(objects: K8sObject[]): (K8sObject & Workload)[] {
  return objects
    .filter((object) =>
      ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(object.kind),
    )
    .map((object) =>
      object.kind === 'CronJob'
        ? { ...object, spec: (object.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec }
        : object,
    ) as (K8sObject & Workload)[];
}

export function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** The value of each ConfigMap, decoded Secret data included for Secrets. */
export function dataOf(object: K8sObject): Record<string, string> {
  const data = (object.data ?? {}) as Record<string, string>;
  if (object.kind !== 'Secret') return data;
  const decoded = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
  );
  return { ...decoded, ...((object.stringData ?? {}) as Record<string, string>) };
}

/** `2Gi`, `512Mi`, `250m`, `1`: quantities as numbers, to compare them. */
export function quantity(value: string | number): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  if (!match) throw new Error(`not a quantity: ${value}`);
  const units: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  const unit = units[match[2] ?? ''];
  if (unit === undefined) throw new Error(`unknown unit in ${value}`);
  return Number(match[1]) * unit;
}

// ---------------------------------------------------------------- images

/** `registry/path/name:tag` → its parts (no digest support: none is used here). */
export function imageReference(image: string): { repository: string; name: string; tag?: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? image.slice(0, colon) : image;
  return {
    repository,
    name: repository.slice(repository.lastIndexOf('/') + 1),
    tag: hasTag ? image.slice(colon + 1) : undefined,
  };
}

/** `17-alpine` → 17, `2.12-alpine` → [2, 12]. */
export function versionOf(tag: string | undefined): number[] {
  return (/^[0-9]+(\.[0-9]+)*/.exec(tag ?? '')?.[0] ?? '').split('.').filter(Boolean).map(Number);
}

export function atLeast(version: number[], minimum: number[]): boolean {
  for (let i = 0; i < minimum.length; i += 1) {
    const part = version[i] ?? 0;
    const floor = minimum[i] ?? 0;
    if (part !== floor) return part > floor;
  }
  return true;
}

/**
 * Whether `version` (`24.22`, missing parts 0) is in an engines range made of
 * `^x.y` and `>=x.y` alternatives joined by `||`, the only forms package.json uses.
 */
export function satisfiesEngines(version: number[], range: string): boolean {
  return range.split('||').some((alternative) => {
    const match = /^\s*(\^|>=)\s*([0-9.]+)\s*$/.exec(alternative);
    if (!match) throw new Error(`engines range not understood: "${alternative.trim()}"`);
    const floor = versionOf(match[2]);
    return atLeast(version, floor) && (match[1] === '>=' || version[0] === floor[0]);
  });
}

/** package.json's engines.node. */
export function nodeEngines(): string {
  return (JSON.parse(readText('package.json')) as { engines: { node: string } }).engines.node;
}

/** The Node major `.ci/run` runs the test suite on besides the machine's own. */
export function ciNodeMajor(): number | undefined {
  const major = /scripts\/ci\/with-node\.sh\s+([0-9]+)\s+--/.exec(readText('.ci/run'))?.[1];
  return major === undefined ? undefined : Number(major);
}

/**
 * Where the official postgres image keeps its data, so where its volume goes:
 * 17 and older in /var/lib/postgresql/data (a volume elsewhere leaves the data
 * in an anonymous volume, lost with the container); 18 moved it under
 * /var/lib/postgresql and refuses to start on a volume mounted the old way.
 */
export function postgresDataMount(major: number): string {
  return major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
}
