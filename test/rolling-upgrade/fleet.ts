import type { AppName, Platform } from '../e2e/platform.js';
import type { ServiceProcess } from '../support/service-process.js';
import { TODAY, type Release } from './releases.js';

export type Build = 'today' | Release;

interface Replica {
  readonly app: AppName;
  readonly build: Build;
  readonly service: ServiceProcess;
  stopped: boolean;
}

/**
 * Which build each replica of the platform runs, every replica ever started
 * kept for its logs. Rolling an app works as a Kubernetes rolling update with
 * a surge of one and none unavailable: a replica of the new build is started
 * and ready before one of the old build is stopped (SIGTERM, drained).
 */
export class Fleet {
  private readonly replicas: Replica[] = [];

  constructor(
    private readonly platform: Platform,
    private readonly dists: Record<Release, string>,
  ) {
    for (const app of ['orders', 'payments', 'shipping', 'notifications'] as const) {
      for (const service of platform.replicas(app)) {
        this.replicas.push({ app, build: 'today', service, stopped: false });
      }
    }
  }

  async start(app: AppName, build: Build): Promise<ServiceProcess> {
    const dist = build === 'today' ? TODAY : this.dists[build];
    const service = await this.platform.startReplica(app, {}, dist);
    this.replicas.push({ app, build, service, stopped: false });
    return service;
  }

  async stop(service: ServiceProcess): Promise<void> {
    const replica = this.replicas.find((candidate) => candidate.service === service);
    if (!replica) throw new Error('not a replica of this fleet');
    replica.stopped = true;
    await this.platform.stopReplica(replica.app, service);
  }

  async roll(app: AppName, from: Build, to: Build): Promise<void> {
    const old = this.running(app, from);
    if (old.length === 0) throw new Error(`no replica of ${app} runs ${from}`);
    for (const replica of old) {
      await this.start(app, to);
      await this.stop(replica.service);
    }
  }

  /** Which builds of `app` run now, as `build×count`. */
  describe(app: AppName): string {
    const counts = new Map<Build, number>();
    for (const { build } of this.replicas.filter((r) => r.app === app && !r.stopped)) {
      counts.set(build, (counts.get(build) ?? 0) + 1);
    }
    return [...counts].map(([build, count]) => `${build}×${count}`).join(' ');
  }

  /** What every replica ever started wrote, stopped ones included. */
  logs(filter: { app?: AppName; build?: Build } = {}): string[] {
    return this.replicas
      .filter((r) => (filter.app ?? r.app) === r.app && (filter.build ?? r.build) === r.build)
      .map((r) => r.service.logs);
  }

  private running(app: AppName, build: Build): Replica[] {
    return this.replicas.filter((r) => r.app === app && r.build === build && !r.stopped);
  }
}
