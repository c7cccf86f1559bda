import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { provisionNats, type ProvisioningReport, type Topology } from '@app/messaging';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';

export interface NatsServerOptions {
  /** Extra configuration, e.g. an `authorization` block. */
  readonly config?: string;
  /** The server's environment, for variables the configuration refers to. */
  readonly env?: Record<string, string>;
  /** How the test's own clients connect, when the configuration requires a user. */
  readonly user?: string;
  readonly password?: string;
  /** The provisioning user's password, when the configuration has users. */
  readonly provisioningPassword?: string;
}

/**
 * A nats-server of the test's own, on a free port with its own store, so the
 * test can stop and restart it, and its streams and consumers are its alone.
 */
export class PrivateNatsServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
    private readonly options: NatsServerOptions,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(options: NatsServerOptions = {}): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'nats-')),
      options,
    );
    await server.resume();
    return server;
  }

  /** Starts it again on the same port and store, as after an outage. */
  async resume(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.options.config !== undefined) {
      const file = join(this.storeDir, 'server.conf');
      writeFileSync(file, this.options.config);
      args.unshift('-c', file);
    }
    this.process = spawn(NATS_SERVER, args, {
      stdio: 'ignore',
      env: { ...process.env, ...this.options.env },
    });
    const { user, password: pass } = this.options;
    await eventually(
      async () => {
        const connection = await connect({ servers: this.url, reconnect: false, user, pass });
        await connection.close();
      },
      { timeoutMs: 10_000, what: `nats-server on ${this.port}` },
    );
  }

  /**
   * Creates the streams and consumers of the topology, as `npm run
   * provision:nats` does: what every harness runs before it starts an app.
   */
  provision(topology: Topology): Promise<ProvisioningReport> {
    const { provisioningPassword } = this.options;
    return provisionNats(
      provisioningPassword === undefined
        ? { url: this.url }
        : { url: this.url, user: 'provisioning', password: provisioningPassword },
      topology,
    );
  }

  get isRunning(): boolean {
    const running = this.process;
    return running !== undefined && running.exitCode === null && running.signalCode === null;
  }

  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
