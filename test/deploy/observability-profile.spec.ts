import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from '../../libs/observability/src/metrics.js';
import { APPS, defaultPort, readText, readYaml, ROOT } from './deploy-support.js';

interface Service {
  profiles?: string[];
  ports?: string[];
  healthcheck?: { test?: unknown };
  environment?: Record<string, string>;
}

const compose = readYaml<{
  services: Record<string, Service>;
  'x-app-environment': Record<string, string>;
}>('docker-compose.yml');
const OBSERVABILITY = ['jaeger', 'prometheus', 'grafana'];

/** Every metric family the apps expose: the registry's, and the gauges the runtime adds at start. */
async function exposedFamilies(): Promise<Set<string>> {
  const names = new Set((await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name));
  const runtime = join(ROOT, 'libs/runtime/src/telemetry');
  for (const file of readdirSync(runtime)) {
    const source = readFileSync(join(runtime, file), 'utf8');
    for (const match of source.matchAll(/metrics\.gauge\(\s*'([a-z_]+)'/g)) names.add(match[1]!);
  }
  return names;
}

describe('the observability profile of docker-compose', () => {
  it('adds Jaeger, Prometheus and Grafana only on request, healthy, with their UIs on 127.0.0.1', () => {
    for (const name of OBSERVABILITY) {
      const service = compose.services[name];
      expect(service?.profiles, name).toEqual(['observability']);
      expect(service?.healthcheck?.test, name).toBeDefined();
      for (const port of service?.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('leaves tracing off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and documents the Jaeger endpoint', () => {
    expect(compose['x-app-environment'].OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      '${OTEL_EXPORTER_OTLP_ENDPOINT:-}',
    );
    expect(readText('.env.example')).toMatch(/http:\/\/jaeger:4318/);
  });

  it('has Prometheus scrape every replica of every app on its admin port, with the operator token', () => {
    const config = readYaml<{
      scrape_configs: Array<{
        job_name: string;
        authorization?: { credentials_file?: string };
        dns_sd_configs: Array<{ names: string[]; port: number }>;
      }>;
    }>('deploy/prometheus/prometheus.yml');
    const prometheus = compose.services.prometheus as Service & { secrets?: string[] };
    expect(prometheus.secrets).toEqual(['admin-token']);
    for (const app of APPS) {
      const job = config.scrape_configs.find((candidate) => candidate.job_name === app);
      expect(job?.dns_sd_configs, app).toEqual([
        expect.objectContaining({ names: [app], port: defaultPort(app) + 1_000 }),
      ]);
      expect(job?.authorization, app).toEqual({ credentials_file: '/run/secrets/admin-token' });
    }
  });

  it('provisions a Grafana dashboard whose every query reads a metric the apps expose', async () => {
    const datasource = readYaml<{ datasources: Array<{ uid: string; url: string }> }>(
      'deploy/grafana/provisioning/datasources/prometheus.yml',
    );
    expect(datasource.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const dashboard = JSON.parse(readText('deploy/grafana/dashboards/platform.json')) as {
      panels: Array<{
        title: string;
        datasource: { uid: string };
        targets: Array<{ expr: string }>;
      }>;
    };
    const exposed = await exposedFamilies();
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe('prometheus');
      for (const { expr } of panel.targets) {
        const used = [
          ...expr.matchAll(/\b([a-z]+_[a-z_]+?)(?:_bucket|_sum|_count)?\b(?=[[{)\s]|$)/g),
        ]
          .map((match) => match[1]!)
          .filter(
            (name) =>
              !['histogram_quantile', 'sum', 'rate', 'max'].includes(name) && !/^by$/.test(name),
          );
        const families = used.filter((name) => /_(total|seconds|messages|bytes)$/.test(name));
        expect(families.length, expr).toBeGreaterThan(0);
        for (const family of families)
          expect(exposed.has(family), `${panel.title}: ${family}`).toBe(true);
      }
    }
  });
});
