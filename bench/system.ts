import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogTopology, topologyDefaults } from '@app/messaging';
import { PrivateNatsCluster } from '../test/support/nats-cluster.js';
import { PrivateNatsServer } from '../test/support/nats-server.js';
import { ServiceProcess } from '../test/support/service-process.js';
import { TestDatabase } from '../test/support/test-database.js';
import { demoSigningEnvironment } from '../scripts/signing-keys/demo-keys.js';
import { APPS, type AppName } from './options.js';
import { natsServerPid } from './process-sampler.js';
import { HEAP_PROBE_OPTIONS, retainedHeapMb } from './retained-heap.js';

/** Node 20 refuses --cpu-prof in NODE_OPTIONS; this preload does the same job. */
const PROFILER = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));

export interface AppProcess {
  /** `payments#2`: the app and which replica. */
  readonly name: string;
  readonly app: AppName;
  readonly service: ServiceProcess;
}

export interface SystemOptions {
  readonly replicas: Readonly<Partial<Record<AppName, number>>>;
  readonly env: Readonly<Partial<Record<AppName, Record<string, string>>>>;
  /** Apps whose V8 CPU profile is written to `cpuProfDir` when they exit. */
  readonly cpuProf?: readonly AppName[];
  readonly cpuProfDir?: string;
  /** Nodes of a NATS cluster to start instead of one server; each stream gets this many replicas. */
  readonly natsCluster?: number;
}

/**
 * The four apps as processes from their built bundles, on a nats-server and
 * databases of the bench's own, with the apps' default settings: what is
 * measured is the platform as it ships. `stop` ends and removes all of it.
 */
export class BenchSystem {
  private readonly running: AppProcess[] = [];
  private readonly heapDir = mkdtempSync(join(tmpdir(), 'bench-heap-'));

  private constructor(
    readonly nats: PrivateNatsServer | PrivateNatsCluster,
    readonly databases: Readonly<Record<AppName, TestDatabase>>,
    private readonly options: SystemOptions,
  ) {}

  static async start(options: SystemOptions): Promise<BenchSystem> {
    for (const app of APPS) {
      if (!existsSync(entryOf(app)))
        throw new Error(`${entryOf(app)} is missing: run "npm run build" first`);
    }
    const databases = Object.fromEntries(
      APPS.map((app) => [app, TestDatabase.reserve(app)]),
    ) as Record<AppName, TestDatabase>;
    if (options.cpuProf?.length && options.cpuProfDir)
      mkdirSync(options.cpuProfDir, { recursive: true });
    const nats = options.natsCluster
      ? await PrivateNatsCluster.start(options.natsCluster)
      : await PrivateNatsServer.start();
    const system = new BenchSystem(nats, databases, options);
    try {
      // Streams and consumers as `npm run provision:nats` makes them (MESSAGING_STREAM_REPLICAS
      // one copy per node), then the apps; replicas one at a time, as each migrates its database.
      await system.nats.provision(
        catalogTopology({ ...topologyDefaults, streamReplicas: options.natsCluster ?? 1 }),
      );
      for (const app of APPS) {
        for (let i = 0; i < (options.replicas[app] ?? 1); i += 1) await system.startReplica(app);
      }
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  get natsUrl(): string {
    return this.nats.url;
  }

  /** The nats-server processes, for the process sampler. */
  natsProcesses(): Array<{ name: string; pid: number }> {
    const { nats } = this;
    if (nats instanceof PrivateNatsCluster) {
      return nats.nodes.flatMap((node) =>
        node.pid ? [{ name: `nats-server ${node.name}`, pid: node.pid }] : [],
      );
    }
    const pid = natsServerPid(nats.port);
    return pid ? [{ name: 'nats-server', pid }] : [];
  }

  get apps(): readonly AppProcess[] {
    return this.running;
  }

  baseUrls(app: AppName): string[] {
    return this.running.filter((run) => run.app === app).map((run) => run.service.baseUrl);
  }

  private async startReplica(app: AppName): Promise<void> {
    const profiled = this.options.cpuProf?.includes(app) && this.options.cpuProfDir;
    const { NODE_OPTIONS: ownOptions, ...ownEnv } = this.options.env[app] ?? {};
    const env: Record<string, string> = {
      NATS_URL: this.nats.url,
      DATABASE_URL: this.databases[app].url,
      // Measured as deployed: commands signed by orders and checked by their receivers.
      ...demoSigningEnvironment(app),
      // Node options given with --env come after the preloads rather than replacing them.
      NODE_OPTIONS: [HEAP_PROBE_OPTIONS, profiled && `--import="${PROFILER}"`, ownOptions]
        .filter(Boolean)
        .join(' '),
      BENCH_HEAP_DIR: this.heapDir,
      ...(profiled ? { BENCH_CPU_PROFILE_DIR: this.options.cpuProfDir } : {}),
      ...ownEnv,
    };
    for (let attempt = 1; ; attempt += 1) {
      const service = await ServiceProcess.start({ entry: entryOf(app), env });
      try {
        await service.ready(60_000);
        const replica = this.running.filter((run) => run.app === app).length + 1;
        this.running.push({ name: `${app}#${replica}`, app, service });
        return;
      } catch (error) {
        await service.kill();
        // The free port it was given can be taken by another process meanwhile.
        if (attempt < 3 && /EADDRINUSE/.test(service.logs)) continue;
        throw error;
      }
    }
  }

  /**
   * The heap each app still uses after a full garbage collection, in MiB:
   * taken before and after a load, it shows whether an app keeps what it
   * handled, however far its RSS swings between major collections. An app
   * that does not answer within 10 s is left out.
   */
  async retainedHeapMb(): Promise<Map<string, number>> {
    const answers = await Promise.all(
      this.running.map(
        async ({ name, service }) =>
          [name, await retainedHeapMb(service.pid as number, this.heapDir)] as const,
      ),
    );
    return new Map(
      answers.filter((answer): answer is readonly [string, number] => answer[1] !== undefined),
    );
  }

  /**
   * SIGTERM, the graceful path (it also lets the profiler write its profile);
   * an app that does not exit in time is killed. Then databases and NATS go.
   */
  async stop(): Promise<Record<string, number | null>> {
    const codes: Record<string, number | null> = {};
    await Promise.all(
      this.running.map(async ({ name, service }) => {
        const timer = setTimeout(() => void service.kill(), 30_000);
        codes[name] = await service.terminate();
        clearTimeout(timer);
      }),
    );
    await Promise.allSettled(APPS.map((app) => this.databases[app].drop()));
    await this.nats.dispose();
    rmSync(this.heapDir, { recursive: true, force: true });
    return codes;
  }
}

function entryOf(app: AppName): string {
  return `dist/apps/${app}/main.js`;
}
