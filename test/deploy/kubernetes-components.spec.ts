import 'reflect-metadata';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, stopTracing } from '../../libs/observability/src/tracing.js';
import { MetricsController } from '../../libs/runtime/src/admin/metrics.controller.js';
import {
  ALL_APPS,
  APPS,
  defaultPort,
  type K8sObject,
  named,
  ofKind,
  OVERLAYS,
  readText,
  renderOverlay,
  workloads,
  type Workload,
} from './deploy-support.js';
import {
  appContainer,
  egressOf,
  environmentOf,
  generated,
  type LabelSelector,
  type NetworkPolicy,
  renderWithComponents,
  schemaErrors,
  selects,
  unknownFields,
} from './kubernetes-support.js';

// The optional components (k8s/components/tracing, prometheus-operator), each
// added to an overlay as an operator's own overlay would add it, and compared
// with the overlay without it: what the component turns on, and nothing else.

const ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

function podLabels(workload: K8sObject & Workload): Record<string, string> {
  return workload.spec.template.metadata.labels;
}

function policiesBesides(objects: K8sObject[], name?: string): K8sObject[] {
  return ofKind(objects, 'NetworkPolicy').filter((policy) => policy.metadata.name !== name);
}

describe('the tracing component', () => {
  const plain = renderOverlay('production');
  const traced = renderWithComponents('production', ['tracing']);
  const policy = named<NetworkPolicy>(traced, 'NetworkPolicy', 'traces-to-collector');

  afterEach(() => stopTracing());

  it.each(ALL_APPS)(
    "gives %s the collector's address, with which its own tracing starts (and without the component, none)",
    (app) => {
      const env = environmentOf(traced, appContainer(traced, app));
      expect(env[ENDPOINT]).toMatch(/^http:\/\//);
      expect(startTracing(app, env)).toBe(true);
      const untraced = environmentOf(plain, appContainer(plain, app));
      expect(untraced[ENDPOINT]).toBeUndefined();
    },
  );

  it("opens to the apps and the flow view exactly the collector's OTLP/HTTP port, and changes no other policy", () => {
    const endpoints = new Set(
      ALL_APPS.map((app) => environmentOf(traced, appContainer(traced, app))[ENDPOINT]),
    );
    expect(endpoints.size).toBe(1);
    const endpoint = new URL([...endpoints][0]!);
    // <service>.<namespace>.svc...: the policy lets pods reach that namespace only.
    const namespace = endpoint.hostname.split('.')[1];
    const collector = JSON.stringify({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' } },
    });
    for (const workload of workloads(traced)) {
      const labels = podLabels(workload);
      const before = new Set(egressOf(plain, labels));
      const added = egressOf(traced, labels).filter((entry) => !before.has(entry));
      const exporter = (ALL_APPS as readonly string[]).includes(workload.metadata.name);
      expect(added, workload.metadata.name).toEqual(
        exporter ? [`${collector} TCP/${endpoint.port}`] : [],
      );
    }
    // Egress only: the pods it selects keep the ingress their own policies give them.
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policiesBesides(traced, 'traces-to-collector')).toEqual(policiesBesides(plain));
  });

  it('opens no OTLP/gRPC port (4317): the apps export over OTLP/HTTP only', () => {
    const dependencies = Object.keys(
      (JSON.parse(readText('package.json')) as { dependencies: Record<string, string> })
        .dependencies,
    );
    expect(dependencies).toContain('@opentelemetry/exporter-trace-otlp-http');
    expect(dependencies.filter((name) => /otlp-grpc/.test(name))).toEqual([]);
    const ports = (policy.spec.egress ?? []).flatMap((rule) => rule.ports ?? []);
    expect(ports).toEqual([{ protocol: 'TCP', port: 4318 }]);
  });

  it('validates what it adds against the Kubernetes schemas, with no unknown field', () => {
    const added = traced.filter(
      (object) =>
        object.metadata.name === 'traces-to-collector' ||
        (object.kind === 'ConfigMap' && ENDPOINT in ((object.data ?? {}) as object)),
    );
    expect(added.map((object) => object.kind).sort()).toEqual([
      'ConfigMap',
      'ConfigMap',
      'NetworkPolicy',
    ]);
    return schemaErrors(added).then((errors) => {
      expect(errors).toEqual([]);
      expect(unknownFields(added)).toEqual([]);
    });
  }, 30_000);
});

interface PodMonitor {
  spec: {
    jobLabel?: string;
    selector: LabelSelector;
    podMetricsEndpoints: {
      port?: string;
      path?: string;
      authorization?: { type?: string; credentials?: { name: string; key: string } };
    }[];
  };
}

describe('the prometheus-operator component', () => {
  const monitored = {
    local: renderWithComponents('local', ['prometheus-operator']),
    production: renderWithComponents('production', ['prometheus-operator']),
  };

  it.each(OVERLAYS)(
    "%s: scrapes /metrics on the admin port of exactly the four apps, each replica under its app's name",
    (overlay) => {
      const objects = monitored[overlay];
      const monitor = named<PodMonitor>(objects, 'PodMonitor', 'platform-apps');
      const scraped = workloads(objects).filter((workload) =>
        selects(monitor.spec.selector, podLabels(workload)),
      );
      expect(scraped.map((workload) => workload.metadata.name).sort()).toEqual([...APPS].sort());
      const [endpoint, ...others] = monitor.spec.podMetricsEndpoints;
      expect(others).toEqual([]);
      const metricsPath = Reflect.getMetadata(PATH_METADATA, MetricsController) as string;
      expect(endpoint?.path).toBe(`/${metricsPath}`);
      for (const app of APPS) {
        const port = appContainer(objects, app).ports?.find(({ name }) => name === endpoint?.port);
        expect(port?.containerPort, app).toBe(defaultPort(app) + 1_000);
        // The job label, as Compose's Prometheus and the Grafana dashboard name it.
        const workload = scraped.find((candidate) => candidate.metadata.name === app)!;
        expect(podLabels(workload)[monitor.spec.jobLabel ?? '']).toBe(app);
      }
    },
  );

  it.each(OVERLAYS)(
    '%s: sends the token the apps check, from the same Secret and key (renamed with a generated one)',
    (overlay) => {
      const objects = monitored[overlay];
      const monitor = named<PodMonitor>(objects, 'PodMonitor', 'platform-apps');
      const authorization = monitor.spec.podMetricsEndpoints[0]?.authorization;
      expect(authorization?.type).toBe('Bearer');
      for (const app of APPS) {
        const token = appContainer(objects, app).env?.find(({ name }) => name === 'ADMIN_TOKEN');
        expect(authorization?.credentials, app).toEqual(token?.valueFrom?.secretKeyRef);
      }
      if (overlay === 'local') {
        const secret = authorization?.credentials?.name ?? '';
        expect(secret).toMatch(/^admin-token-/);
        expect(generated(objects, 'Secret', secret)).toBeDefined();
      }
    },
  );

  it('reaches the admin ports through the policies that open them to Prometheus pods alone, and adds none', () => {
    const objects = monitored.production;
    const prometheus = { 'app.kubernetes.io/name': 'prometheus' };
    for (const app of APPS) {
      const admin = defaultPort(app) + 1_000;
      const labels = podLabels(named<Workload>(objects, 'Deployment', app));
      const peers = ofKind<NetworkPolicy>(objects, 'NetworkPolicy')
        .filter((policy) => selects(policy.spec.podSelector, labels))
        .flatMap((policy) => policy.spec.ingress ?? [])
        .filter((rule) => !rule.ports || rule.ports.some(({ port }) => port === admin))
        .flatMap((rule) => rule.from ?? [{}]);
      expect(peers.length, app).toBeGreaterThan(0);
      for (const peer of peers) {
        // Any namespace, but only pods the Operator labels as Prometheus.
        expect(peer.podSelector && selects(peer.podSelector, prometheus), app).toBe(true);
        expect(peer.podSelector?.matchLabels, app).toEqual(prometheus);
      }
    }
    expect(policiesBesides(objects)).toEqual(policiesBesides(renderOverlay('production')));
  });

  it('validates the PodMonitor against the Prometheus Operator CRD (@kubernetes-models/prometheus-operator), with no unknown field', async () => {
    const monitors = ofKind(monitored.production, 'PodMonitor');
    expect(monitors).toHaveLength(1);
    expect(await schemaErrors(monitors)).toEqual([]);
    expect(unknownFields(monitors)).toEqual([]);
  }, 30_000);
});
