import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  jetstreamManager,
  type ClusterInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { provisionNats, type ProvisioningReport, type Topology } from '@app/messaging';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';
const CLUSTER_NAME = 'private';

/** One server of the cluster: its client port, its route port and its JetStream store. */
export class ClusterNode {
  private process: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly routePort: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get storeDir(): string {
    return join(this.dir, 'store');
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get isRunning(): boolean {
    const running = this.process;
    return running !== undefined && running.exitCode === null && running.signalCode === null;
  }

  /** Starts it on its ports and store, routed to the others; resolves once it takes clients. */
  async start(routePorts: readonly number[]): Promise<void> {
    mkdirSync(this.storeDir, { recursive: true });
    const file = join(this.dir, 'server.conf');
    writeFileSync(file, this.config(routePorts));
    this.process = spawn(NATS_SERVER, ['-c', file], { stdio: 'ignore' });
    await eventually(
      async () => {
        const connection = await connect({ servers: this.url, reconnect: false });
        await connection.close();
      },
      { timeoutMs: 10_000, what: `nats-server ${this.name} on ${this.port}` },
    );
  }

  private config(routePorts: readonly number[]): string {
    const routes = routePorts
      .filter((port) => port !== this.routePort)
      .map((port) => `"nats-route://127.0.0.1:${port}"`);
    return [
      `server_name: "${this.name}"`,
      `listen: "127.0.0.1:${this.port}"`,
      `jetstream { store_dir: "${this.storeDir}" }`,
      `cluster {`,
      `  name: "${CLUSTER_NAME}"`,
      `  listen: "127.0.0.1:${this.routePort}"`,
      `  routes: [${routes.join(', ')}]`,
      `}`,
      '',
    ].join('\n');
  }

  /** SIGKILL, as when its machine dies: nothing is flushed, nobody is told. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  /** Its JetStream store gone, as a node replaced by a new machine. */
  wipe(): void {
    if (this.isRunning) throw new Error(`${this.name} is running: stop it before wiping its store`);
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * What keeps a stream's or consumer's Raft group from being whole, as its
 * info reports it. An idle consumer's follower stays "not current" until the
 * next entry reaches it, so for consumers a peer seen online is enough.
 */
function groupProblem(
  what: string,
  cluster: ClusterInfo | undefined,
  size: number,
  mustBeCurrent: boolean,
): string {
  if (!cluster?.leader) return `${what} has no leader`;
  const replicas = cluster.replicas ?? [];
  if (replicas.length !== size - 1) return `${what} has ${replicas.length + 1} of ${size} peers`;
  const behind = replicas.filter(
    (replica) => replica.offline || (mustBeCurrent && !replica.current),
  );
  if (behind.length > 0) {
    return `${what}: ${behind.map((replica) => `${replica.name} lags ${replica.lag ?? '?'}`).join(', ')}`;
  }
  return '';
}

/**
 * nats-servers of the test's own (three by default) on loopback, routed
 * into one cluster, each with its own JetStream store: streams can be
 * replicated, a node killed, brought back, or brought back empty. `url` names every node, as an app's
 * NATS_URL would in production.
 */
export class PrivateNatsCluster {
  private monitor: NatsConnection | undefined;
  private manager: JetStreamManager | undefined;

  private constructor(readonly nodes: readonly ClusterNode[]) {}

  static async start(size = 3): Promise<PrivateNatsCluster> {
    const nodes: ClusterNode[] = [];
    for (let index = 1; index <= size; index += 1) {
      nodes.push(
        new ClusterNode(
          `n${index}`,
          await freePort(),
          await freePort(),
          mkdtempSync(join(tmpdir(), 'nats-cluster-')),
        ),
      );
    }
    const cluster = new PrivateNatsCluster(nodes);
    try {
      await Promise.all(nodes.map((node) => node.start(cluster.routePorts)));
      // JetStream answers once the nodes have found each other and elected a meta leader.
      await eventually(async () => (await cluster.jetstream()).getAccountInfo(), {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'JetStream in the cluster',
      });
    } catch (error) {
      await cluster.dispose();
      throw error;
    }
    return cluster;
  }

  get url(): string {
    return this.nodes.map((node) => node.url).join(',');
  }

  get size(): number {
    return this.nodes.length;
  }

  private get routePorts(): number[] {
    return this.nodes.map((node) => node.routePort);
  }

  node(name: string): ClusterNode {
    const found = this.nodes.find((node) => node.name === name);
    if (!found) throw new Error(`no node ${name} in ${this.nodes.map((n) => n.name).join(', ')}`);
    return found;
  }

  /** Starts a stopped or killed node again; `wiped`, with an empty store. */
  async restart(name: string, { wiped = false } = {}): Promise<void> {
    const node = this.node(name);
    await node.stop();
    if (wiped) node.wipe();
    await node.start(this.routePorts);
  }

  provision(topology: Topology): Promise<ProvisioningReport> {
    return provisionNats({ url: this.url }, topology);
  }

  /** What the stream's leader says of it: its config, its state, its peers. */
  async streamInfo(stream: string): Promise<StreamInfo> {
    return (await this.jetstream()).streams.info(stream);
  }

  /** The name of the node leading `stream`, from its stream info, once it has one. */
  async streamLeader(stream: string, timeoutMs = 30_000): Promise<string> {
    return eventually(
      async () => {
        const leader = (await this.streamInfo(stream)).cluster?.leader;
        if (!leader) throw new Error(`${stream} has no leader`);
        return leader;
      },
      { timeoutMs, intervalMs: 250, what: `a leader of ${stream}` },
    );
  }

  /**
   * Watches for the next election `stream`'s group wins, by its leader-elected
   * advisory: asked during an election, stream info may already name a node
   * that has not won yet. Subscribed when this resolves; `elected` resolves
   * with the winner, or rejects after `timeoutMs` with none.
   */
  async nextLeader(stream: string, timeoutMs: number): Promise<{ elected: Promise<string> }> {
    await this.jetstream();
    const monitor = this.monitor as NatsConnection;
    const subscription = monitor.subscribe(`$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.${stream}`, {
      max: 1,
    });
    await monitor.flush();
    const elected = (async () => {
      const timer = setTimeout(() => subscription.unsubscribe(), timeoutMs);
      try {
        for await (const advisory of subscription)
          return advisory.json<{ leader: string }>().leader;
      } finally {
        clearTimeout(timer);
      }
      throw new Error(`no leader of ${stream} elected within ${timeoutMs / 1_000} s`);
    })();
    // Awaited by the caller; until then a timeout must not count as unhandled.
    elected.catch(() => undefined);
    return { elected };
  }

  /**
   * Waits until each stream has a leader and every peer current, and each
   * of its consumers a leader and every peer online: a node back from a kill
   * has caught up, and the cluster can lose another.
   */
  async caughtUp(streams: readonly string[], timeoutMs = 60_000): Promise<void> {
    await eventually(
      async () => {
        const manager = await this.jetstream();
        const problems: string[] = [];
        for (const stream of streams) {
          const info = await manager.streams.info(stream);
          problems.push(groupProblem(stream, info.cluster, this.size, true));
          for await (const consumer of manager.consumers.list(stream)) {
            problems.push(
              groupProblem(`${stream}/${consumer.name}`, consumer.cluster, this.size, false),
            );
          }
        }
        const found = problems.filter(Boolean);
        if (found.length > 0) throw new Error(found.join('; '));
      },
      { timeoutMs, intervalMs: 500, what: `every replica of ${streams.join(', ')} current` },
    );
  }

  /**
   * The monitoring connection: to any live node, reconnecting to another
   * when its node goes, as the apps' do.
   */
  private async jetstream(): Promise<JetStreamManager> {
    if (!this.manager || !this.monitor || this.monitor.isClosed()) {
      this.monitor = await connect({
        servers: this.nodes.map((node) => node.url),
        name: 'monitoring',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
      this.manager = await jetstreamManager(this.monitor, { timeout: 2_000 });
    }
    return this.manager;
  }

  async dispose(): Promise<void> {
    await this.monitor?.close().catch(() => undefined);
    await Promise.all(this.nodes.map((node) => node.stop()));
    for (const node of this.nodes) node.dispose();
  }
}
