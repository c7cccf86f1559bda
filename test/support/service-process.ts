import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

const running = new Set<ServiceProcess>();

/** The body of `/health/ready`. */
export interface ReadinessBody {
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly checks: ReadonlyArray<{ name: string; ok: boolean; required: boolean; detail?: string }>;
}

export interface ServiceProcessOptions {
  /** Path of the built entry point, relative to the repository root. */
  readonly entry: string;
  readonly env: Record<string, string>;
  readonly port?: number;
  /** The operator's port (ADMIN_PORT); a free one when unset. */
  readonly adminPort?: number;
}

/** One app as a real process, as an orchestrator would run it. */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly adminPort: number,
    private readonly adminToken: string | undefined,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    void this.exited.then(() => running.delete(this));
  }

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const port = options.port ?? (await freePort());
    let adminPort = options.adminPort ?? (await freePort());
    // A port just freed can be handed out again at once: never the same for both.
    while (adminPort === port) adminPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      ...options.env,
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
    };
    const child = spawn(process.execPath, [resolve(options.entry)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(child, port, adminPort, env.ADMIN_TOKEN || undefined);
    running.add(service);
    return service;
  }

  /** For sampling the process from outside (memory, CPU); undefined if it never spawned. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The admin port: dead letters and metrics. */
  get adminUrl(): string {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** What a request to the admin port carries: the operator's token, when the process has one. */
  get adminHeaders(): Record<string, string> {
    return this.adminToken ? { Authorization: `Bearer ${this.adminToken}` } : {};
  }

  /** fetch on the admin port, as an operator: with the token, and JSON on a POST. */
  admin(path: string, init: RequestInit = {}): Promise<Response> {
    const json: Record<string, string> =
      init.method && init.method !== 'GET' ? { 'Content-Type': 'application/json' } : {};
    return fetch(`${this.adminUrl}${path}`, {
      ...init,
      headers: { ...json, ...this.adminHeaders, ...(init.headers as Record<string, string>) },
    });
  }

  get logs(): string {
    return this.output;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Waits until `/health/ready` answers 200: its database answers, and (as the
   * app listens only once they are provisioned) its streams and consumers exist.
   */
  async ready(timeoutMs = 30_000): Promise<this> {
    await eventually(
      async () => {
        if (!this.isRunning) throw new Error(`exited early:\n${this.output}`);
        const response = await fetch(`${this.baseUrl}/health/ready`);
        if (response.status !== 200) throw new Error(`ready answered ${response.status}`);
      },
      { timeoutMs, what: `readiness of ${this.port}` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${this.output}`);
    });
    return this;
  }

  /** `/health/ready` as it answers now: its status code and the dependencies in its body. */
  async readiness(): Promise<{ code: number; body: ReadinessBody }> {
    const response = await fetch(`${this.baseUrl}/health/ready`);
    return { code: response.status, body: (await response.json()) as ReadinessBody };
  }

  /** Waits until readiness reports every dependency up, NATS and its consumers included. */
  async connected(timeoutMs = 30_000): Promise<this> {
    await eventually(
      async () => {
        const down = (await this.readiness()).body.checks.filter((check) => !check.ok);
        if (down.length > 0) throw new Error(`down: ${down.map((check) => check.name).join(', ')}`);
      },
      { timeoutMs, what: `every dependency of ${this.port}` },
    );
    return this;
  }

  /** SIGTERM: the graceful path. Resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (this.isRunning) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<void> {
    if (this.isRunning) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** For afterEach: the next test starts with no process of this one draining its messages. */
export async function terminateAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.terminate()));
}

/** For afterAll: no process outlives its test file. */
export async function killAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.kill()));
}
